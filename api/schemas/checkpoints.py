"""The public log: signed checkpoints, the keys that sign them, and proofs between them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

# Log sizes and row ids are 64-bit integers in both engines.
MAX_SIZE = 2**63 - 1
Size = Annotated[int, Field(ge=1, le=MAX_SIZE)]
Hex32 = Annotated[str, Field(pattern="^[0-9a-f]{64}$", description="SHA-256, hex")]


class CheckpointRead(BaseModel):
    id: int
    size: int = Field(description="entries of the log the checkpoint covers")
    root: Hex32 = Field(description="RFC 6962 tree head of those entries")
    signed_at: datetime
    key_name: str
    key_id: str = Field(description="4-byte key hash of the signed note, hex")
    note: str = Field(description="the C2SP signed note, verbatim: what an auditor keeps")


class PublicKey(BaseModel):
    name: str
    algorithm: str = Field(examples=["Ed25519"])
    public_key: str = Field(description="the raw 32-byte Ed25519 public key, base64")
    key_id: str
    vkey: str = Field(description="the C2SP verifier key: name+key id+base64(0x01 ‖ key)")


class CheckpointList(BaseModel):
    log_size: int = Field(description="entries in the log now (the newest may be unsigned)")
    checkpoints: list[CheckpointRead] = Field(description="oldest first")
    public_keys: list[PublicKey]
    consistency: str = Field(description="URL template of a consistency proof")
    inclusion: str = Field(description="URL template of an inclusion proof")


class ConsistencyRead(BaseModel):
    first: int
    second: int
    first_root: Hex32
    second_root: Hex32
    proof: list[Hex32] = Field(description="RFC 9162 2.1.4 consistency proof, hex nodes")
    first_checkpoint: str | None = Field(description="the signed note of size `first`, if any")
    second_checkpoint: str = Field(description="the signed note of size `second`")


class InclusionRead(BaseModel):
    table: str
    row_id: int
    index: int = Field(description="the row's entry number (0-based)")
    leaf: Hex32 = Field(description="RFC 6962 leaf hash of the row's canonical JSON")
    tree_size: int
    root: Hex32
    proof: list[Hex32] = Field(description="RFC 9162 2.1.3 inclusion proof, hex nodes")
    checkpoint: str = Field(description="the signed note of size `tree_size`")
