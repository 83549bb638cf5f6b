"""The paper in and out: PDFs of the plan and its ประกาศ, the ผด. spreadsheets, audit packs.

Above the core (`api → documents → workflow → models`): each module here holds one
third-party library (WeasyPrint, openpyxl, bagit) and turns the core's values into files or
files into plain rows and problems the core validates; nothing here writes to the database.
"""
