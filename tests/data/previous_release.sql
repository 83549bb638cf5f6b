PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO alembic_version VALUES('0004');
CREATE TABLE calendar_change (
	id INTEGER NOT NULL, 
	day DATE NOT NULL, 
	change VARCHAR(16) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	source VARCHAR(300) NOT NULL, 
	actor_username VARCHAR(64) NOT NULL, 
	recorded_at DATETIME NOT NULL, 
	moved JSON NOT NULL, 
	CONSTRAINT pk_calendar_change PRIMARY KEY (id)
);
INSERT INTO calendar_change VALUES(1,'2026-12-09','add','วันหยุดพิเศษ','มติ ครม. (ตัวอย่าง)','cli:builder','2026-11-20 03:00:00.000000','[{"deadline_id": 4, "plan_id": 3, "kind": "preparation", "due_on_before": "2026-12-10", "due_on_after": "2026-12-10", "last_working_on_before": "2026-12-09", "last_working_on_after": "2026-12-08"}]');
CREATE TABLE holiday_overlay (
	id INTEGER NOT NULL, 
	day DATE NOT NULL, 
	kind VARCHAR(32) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	source VARCHAR(300) NOT NULL, 
	created_by VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_holiday_overlay PRIMARY KEY (id), 
	CONSTRAINT uq_holiday_overlay_day UNIQUE (day)
);
INSERT INTO holiday_overlay VALUES(1,'2026-12-09','add','วันหยุดพิเศษ','มติ ครม. (ตัวอย่าง)','cli:builder','2026-11-20 03:00:00.000000');
CREATE TABLE organization (
	id INTEGER NOT NULL, 
	code VARCHAR(16) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	org_type VARCHAR(32) NOT NULL, 
	district VARCHAR(100) NOT NULL, 
	province VARCHAR(100) NOT NULL, 
	CONSTRAINT pk_organization PRIMARY KEY (id), 
	CONSTRAINT uq_organization_code UNIQUE (code)
);
INSERT INTO organization VALUES(1,'6660603','องค์การบริหารส่วนตำบลแหลมรัง','sao','บึงนาราง','พิจิตร');
CREATE TABLE IF NOT EXISTS "plan" (
	id INTEGER NOT NULL, 
	organization_id INTEGER NOT NULL, 
	fiscal_year_be INTEGER NOT NULL, 
	kind VARCHAR(32) NOT NULL, 
	number INTEGER NOT NULL, 
	title VARCHAR(300) NOT NULL, 
	state VARCHAR(32) NOT NULL, 
	version INTEGER NOT NULL, 
	head_hash VARCHAR(64) NOT NULL, 
	trigger_kind VARCHAR(32) NOT NULL, 
	trigger_on DATE NOT NULL, 
	trigger_note VARCHAR(500), 
	budget_baht BIGINT, 
	amends_plan_id INTEGER, 
	superseded_by_plan_id INTEGER, 
	last_effective_on DATE NOT NULL, 
	announced_on DATE, 
	posted_on DATE, 
	posting_places JSON NOT NULL, 
	posting_complete_on DATE, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_plan PRIMARY KEY (id), 
	CONSTRAINT fk_plan_amends_plan_id_plan FOREIGN KEY(amends_plan_id) REFERENCES "plan" (id), 
	CONSTRAINT fk_plan_organization_id_organization FOREIGN KEY(organization_id) REFERENCES organization (id), 
	CONSTRAINT fk_plan_superseded_by_plan_id_plan FOREIGN KEY(superseded_by_plan_id) REFERENCES "plan" (id), 
	CONSTRAINT uq_plan_organization_id_fiscal_year_be_kind_number UNIQUE (organization_id, fiscal_year_be, kind, number)
);
INSERT INTO "plan" VALUES(1,1,2562,'annual',1,'แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. 2562','announced',4,'07f402b6bee9c3d5a7f8e851f1b0df10461a3082b5150957a743c3c291fcd995','annual_budget','2018-09-20','ข้อบัญญัติงบประมาณรายจ่ายประจำปีงบประมาณ พ.ศ. 2562 ประกาศ 20 ก.ย. 2561',NULL,NULL,NULL,'2018-10-25','2018-10-25',NULL,'[]',NULL,'2026-11-20 03:00:00.000000','2026-11-20 03:00:00.000000');
INSERT INTO "plan" VALUES(2,1,2570,'supplementary',1,'แผนเพิ่มเติม ครั้งที่ 1/2570','draft',2,'75803e7e925f8532ab67b2aa67825f606e0e8f90a491840cb0e7b41122b16ff2','supplementary_budget','2026-11-10',NULL,NULL,NULL,NULL,'2026-11-11',NULL,NULL,'[]',NULL,'2026-11-20 03:00:00.000000','2026-11-20 03:00:00.000000');
INSERT INTO "plan" VALUES(3,1,2570,'supplementary',2,'แผนเพิ่มเติม ครั้งที่ 2/2570','draft',1,'32dad27f2db7a843f7659a72c7c41822d52669893fe750845dacf2d3673fbfa7','supplementary_budget','2026-11-10',NULL,NULL,NULL,NULL,'2026-11-11',NULL,NULL,'[]',NULL,'2026-11-20 03:00:00.000000','2026-11-20 03:00:00.000000');
CREATE TABLE user (
	id INTEGER NOT NULL, 
	username VARCHAR(64) NOT NULL, 
	full_name VARCHAR(200) NOT NULL, 
	role VARCHAR(32) NOT NULL, 
	organization_id INTEGER, 
	scope_province VARCHAR(100), 
	is_active BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, password_hash VARCHAR(255), 
	CONSTRAINT pk_user PRIMARY KEY (id), 
	CONSTRAINT fk_user_organization_id_organization FOREIGN KEY(organization_id) REFERENCES organization (id), 
	CONSTRAINT uq_user_username UNIQUE (username)
);
INSERT INTO user VALUES(1,'laemrang.staff','นางสาวสมใจ ใจดี (ฝ่ายเลขานุการ)','staff',1,NULL,1,'2026-11-20 03:00:00.000000','$argon2id$v=19$m=65536,t=3,p=4$Kc/RPts7E1dtwkMruC+i1g$FK5d1DV3BGxG+XhHkgYRF8ei61D+/lPWWFtSxjbbuZE');
INSERT INTO user VALUES(2,'laemrang.committee','นายประสิทธิ์ มั่นคง (คณะกรรมการพัฒนาท้องถิ่น)','committee',1,NULL,1,'2026-11-20 03:00:00.000000','$argon2id$v=19$m=65536,t=3,p=4$kAYSINvSvdc9BoXUbZJ5Ug$lO5cBfIPbkFlYyCE5gtfzgDGOiIusDK9HXXGw13Pfb4');
INSERT INTO user VALUES(3,'laemrang.executive','นายก อบต.แหลมรัง','executive',1,NULL,1,'2026-11-20 03:00:00.000000','$argon2id$v=19$m=65536,t=3,p=4$SJbb9Mlg4+tS/SprfZrXGA$yBKa1n8+n+3VQgq3BHkbxD+EjFx/T3LlPIHhc5i5cI8');
INSERT INTO user VALUES(4,'phichit.auditor','สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดพิจิตร','auditor',NULL,'พิจิตร',1,'2026-11-20 03:00:00.000000','$argon2id$v=19$m=65536,t=3,p=4$Vc9t6eo+yMEWog/8f/Hjdw$kiO64Krjk6u/Dwi7dAQScQYaRb+KHy3jPcgKZKZNBzI');
INSERT INTO user VALUES(5,'admin','ผู้ดูแลระบบ','admin',NULL,NULL,1,'2026-11-20 03:00:00.000000','$argon2id$v=19$m=65536,t=3,p=4$6yYz1C88xgLt9BxyqEeonw$OCSDf/4KASDqpw9weqxgTVad7AvMJOZ3CtNsn9CAIak');
CREATE TABLE auditor_scope (
	user_id INTEGER NOT NULL, 
	organization_id INTEGER NOT NULL, 
	CONSTRAINT pk_auditor_scope PRIMARY KEY (user_id, organization_id), 
	CONSTRAINT fk_auditor_scope_organization_id_organization FOREIGN KEY(organization_id) REFERENCES organization (id), 
	CONSTRAINT fk_auditor_scope_user_id_user FOREIGN KEY(user_id) REFERENCES user (id)
);
CREATE TABLE refused_attempt (
	id INTEGER NOT NULL, 
	plan_id INTEGER, 
	organization_id INTEGER, 
	action VARCHAR(32) NOT NULL, 
	actor_user_id INTEGER, 
	actor_username VARCHAR(64) NOT NULL, 
	actor_role VARCHAR(32) NOT NULL, 
	effective_on DATE, 
	attempted_at DATETIME NOT NULL, 
	code VARCHAR(32) NOT NULL, 
	reasons JSON NOT NULL, 
	request_id VARCHAR(64), 
	CONSTRAINT pk_refused_attempt PRIMARY KEY (id), 
	CONSTRAINT fk_refused_attempt_actor_user_id_user FOREIGN KEY(actor_user_id) REFERENCES user (id), 
	CONSTRAINT fk_refused_attempt_organization_id_organization FOREIGN KEY(organization_id) REFERENCES organization (id), 
	CONSTRAINT fk_refused_attempt_plan_id_plan FOREIGN KEY(plan_id) REFERENCES "plan" (id)
);
INSERT INTO refused_attempt VALUES(1,3,1,'announce',1,'laemrang.staff','staff','2026-11-20','2026-11-20 03:00:00.000000','forbidden','[{"code": "role_not_allowed", "th": "\u0e1a\u0e17\u0e1a\u0e32\u0e17 staff \u0e44\u0e21\u0e48\u0e21\u0e35\u0e2a\u0e34\u0e17\u0e18\u0e34\u0e4c\u0e17\u0e33\u0e02\u0e31\u0e49\u0e19\u0e15\u0e2d\u0e19\u0e19\u0e35\u0e49 (\u0e15\u0e49\u0e2d\u0e07\u0e40\u0e1b\u0e47\u0e19 executive)", "en": "role staff may not announce (needs executive)"}]',NULL);
CREATE TABLE transition_record (
	id INTEGER NOT NULL, 
	plan_id INTEGER NOT NULL, 
	organization_id INTEGER NOT NULL, 
	seq INTEGER NOT NULL, 
	action VARCHAR(32) NOT NULL, 
	from_state VARCHAR(32), 
	to_state VARCHAR(32) NOT NULL, 
	actor_user_id INTEGER, 
	actor_username VARCHAR(64) NOT NULL, 
	actor_role VARCHAR(32) NOT NULL, 
	effective_on DATE NOT NULL, 
	recorded_at DATETIME NOT NULL, 
	comment VARCHAR, 
	request_id VARCHAR(64), 
	details JSON NOT NULL, 
	prev_hash VARCHAR(64) NOT NULL, 
	hash VARCHAR(64) NOT NULL, 
	CONSTRAINT pk_transition_record PRIMARY KEY (id), 
	CONSTRAINT fk_transition_record_actor_user_id_user FOREIGN KEY(actor_user_id) REFERENCES user (id), 
	CONSTRAINT fk_transition_record_organization_id_organization FOREIGN KEY(organization_id) REFERENCES organization (id), 
	CONSTRAINT fk_transition_record_plan_id_plan FOREIGN KEY(plan_id) REFERENCES "plan" (id), 
	CONSTRAINT uq_transition_record_plan_id_seq UNIQUE (plan_id, seq)
);
INSERT INTO transition_record VALUES(1,1,1,1,'create',NULL,'draft',1,'laemrang.staff','staff','2018-09-21','2026-11-20 03:00:00.000000',NULL,NULL,'{"trigger": {"kind": "annual_budget", "on": "2018-09-20", "note": "\u0e02\u0e49\u0e2d\u0e1a\u0e31\u0e0d\u0e0d\u0e31\u0e15\u0e34\u0e07\u0e1a\u0e1b\u0e23\u0e30\u0e21\u0e32\u0e13\u0e23\u0e32\u0e22\u0e08\u0e48\u0e32\u0e22\u0e1b\u0e23\u0e30\u0e08\u0e33\u0e1b\u0e35\u0e07\u0e1a\u0e1b\u0e23\u0e30\u0e21\u0e32\u0e13 \u0e1e.\u0e28. 2562 \u0e1b\u0e23\u0e30\u0e01\u0e32\u0e28 20 \u0e01.\u0e22. 2561"}, "deadlines": [{"kind": "preparation", "start_on": "2018-09-20", "due_on": "2018-10-20", "last_working_on": "2018-10-19", "mode": "strict", "status": "open", "closed_on": null}]}','0000000000000000000000000000000000000000000000000000000000000000','b82f909abf39a15f184a5416dd6b6b3278442635b06f84ba333509a2491e35d9');
INSERT INTO transition_record VALUES(2,1,1,2,'submit','draft','committee_review',1,'laemrang.staff','staff','2018-10-01','2026-11-20 03:00:00.000000','ตัวอย่างสาธิต / demo data',NULL,'{"deadlines": [{"kind": "preparation", "start_on": "2018-09-20", "due_on": "2018-10-20", "last_working_on": "2018-10-19", "mode": "strict", "status": "open", "closed_on": null}]}','b82f909abf39a15f184a5416dd6b6b3278442635b06f84ba333509a2491e35d9','05c086806b3d3f2f2ba11fa776a12d49739253fa2b4129c4493481de877369af');
INSERT INTO transition_record VALUES(3,1,1,3,'approve','committee_review','awaiting_announcement',2,'laemrang.committee','committee','2018-10-16','2026-11-20 03:00:00.000000','ตัวอย่างสาธิต / demo data',NULL,'{"deadlines": [{"kind": "preparation", "start_on": "2018-09-20", "due_on": "2018-10-20", "last_working_on": "2018-10-19", "mode": "strict", "status": "open", "closed_on": null}]}','05c086806b3d3f2f2ba11fa776a12d49739253fa2b4129c4493481de877369af','1cbe2ad03d42fa46f82df14192d35bf753d2385d6295d60db2cc443e3818e691');
INSERT INTO transition_record VALUES(4,1,1,4,'announce','awaiting_announcement','announced',3,'laemrang.executive','executive','2018-10-25','2026-11-20 03:00:00.000000','ตัวอย่างสาธิต / demo data',NULL,'{"late": ["preparation"], "deadlines": [{"kind": "preparation", "start_on": "2018-09-20", "due_on": "2018-10-20", "last_working_on": "2018-10-19", "mode": "strict", "status": "late", "closed_on": "2018-10-25"}, {"kind": "posting", "start_on": "2018-10-25", "due_on": "2018-11-09", "last_working_on": "2018-11-09", "mode": "strict", "status": "open", "closed_on": null}]}','1cbe2ad03d42fa46f82df14192d35bf753d2385d6295d60db2cc443e3818e691','07f402b6bee9c3d5a7f8e851f1b0df10461a3082b5150957a743c3c291fcd995');
INSERT INTO transition_record VALUES(5,2,1,1,'create',NULL,'draft',1,'laemrang.staff','staff','2026-11-11','2026-11-20 03:00:00.000000',NULL,NULL,'{"trigger": {"kind": "supplementary_budget", "on": "2026-11-10", "note": null}, "deadlines": [{"kind": "preparation", "start_on": "2026-11-10", "due_on": "2026-12-10", "last_working_on": "2026-12-09", "mode": "strict", "status": "open", "closed_on": null}]}','0000000000000000000000000000000000000000000000000000000000000000','90eca25cf6226dacc9ef8e33edf5d3e3c2d11eb24b2990efc0b11193b62a5c58');
INSERT INTO transition_record VALUES(6,3,1,1,'create',NULL,'draft',1,'laemrang.staff','staff','2026-11-11','2026-11-20 03:00:00.000000',NULL,NULL,'{"trigger": {"kind": "supplementary_budget", "on": "2026-11-10", "note": null}, "deadlines": [{"kind": "preparation", "start_on": "2026-11-10", "due_on": "2026-12-10", "last_working_on": "2026-12-09", "mode": "strict", "status": "open", "closed_on": null}]}','0000000000000000000000000000000000000000000000000000000000000000','32dad27f2db7a843f7659a72c7c41822d52669893fe750845dacf2d3673fbfa7');
INSERT INTO transition_record VALUES(7,2,1,2,'extend_deadline','draft','draft',3,'laemrang.executive','executive','2026-11-20','2026-11-20 03:00:00.000000','รอมติสภาเรื่องโครงการเพิ่มเติม',NULL,'{"deadline": "preparation", "previous_due_on": "2026-12-10", "new_due_on": "2027-01-15", "clause": "\u0e02\u0e49\u0e2d 27"}','90eca25cf6226dacc9ef8e33edf5d3e3c2d11eb24b2990efc0b11193b62a5c58','75803e7e925f8532ab67b2aa67825f606e0e8f90a491840cb0e7b41122b16ff2');
CREATE TABLE deadline_extension (
	id INTEGER NOT NULL, 
	deadline_id INTEGER NOT NULL, 
	record_id INTEGER NOT NULL, 
	previous_due_on DATE NOT NULL, 
	new_due_on DATE NOT NULL, 
	reason VARCHAR NOT NULL, 
	recorded_at DATETIME NOT NULL, 
	CONSTRAINT pk_deadline_extension PRIMARY KEY (id), 
	CONSTRAINT fk_deadline_extension_deadline_id_deadline FOREIGN KEY(deadline_id) REFERENCES deadline (id), 
	CONSTRAINT fk_deadline_extension_record_id_transition_record FOREIGN KEY(record_id) REFERENCES transition_record (id)
);
INSERT INTO deadline_extension VALUES(1,3,7,'2026-12-10','2027-01-15','รอมติสภาเรื่องโครงการเพิ่มเติม','2026-11-20 03:00:00.000000');
CREATE TABLE outbox_message (
	id INTEGER NOT NULL, 
	idempotency_key VARCHAR(200) NOT NULL, 
	kind VARCHAR(64) NOT NULL, 
	organization_id INTEGER NOT NULL, 
	plan_id INTEGER, 
	deadline_id INTEGER, 
	audience JSON NOT NULL, 
	payload JSON NOT NULL, 
	status VARCHAR(32) NOT NULL, 
	attempts INTEGER NOT NULL, 
	available_at DATETIME NOT NULL, 
	lease_until DATETIME, 
	created_at DATETIME NOT NULL, 
	sent_at DATETIME, 
	last_error VARCHAR, 
	CONSTRAINT pk_outbox_message PRIMARY KEY (id), 
	CONSTRAINT fk_outbox_message_deadline_id_deadline FOREIGN KEY(deadline_id) REFERENCES deadline (id), 
	CONSTRAINT fk_outbox_message_organization_id_organization FOREIGN KEY(organization_id) REFERENCES organization (id), 
	CONSTRAINT fk_outbox_message_plan_id_plan FOREIGN KEY(plan_id) REFERENCES "plan" (id), 
	CONSTRAINT uq_outbox_message_idempotency_key UNIQUE (idempotency_key)
);
INSERT INTO outbox_message VALUES(1,'transition:2','transition.submit',1,1,NULL,'["committee"]','{"record_id": 2, "action": "submit", "details": {"deadlines": [{"kind": "preparation", "start_on": "2018-09-20", "due_on": "2018-10-20", "last_working_on": "2018-10-19", "mode": "strict", "status": "open", "closed_on": null}]}}','pending',0,'2026-11-20 03:00:00.000000',NULL,'2026-11-20 03:00:00.000000',NULL,NULL);
INSERT INTO outbox_message VALUES(2,'transition:3','transition.approve',1,1,NULL,'["executive"]','{"record_id": 3, "action": "approve", "details": {"deadlines": [{"kind": "preparation", "start_on": "2018-09-20", "due_on": "2018-10-20", "last_working_on": "2018-10-19", "mode": "strict", "status": "open", "closed_on": null}]}}','pending',0,'2026-11-20 03:00:00.000000',NULL,'2026-11-20 03:00:00.000000',NULL,NULL);
INSERT INTO outbox_message VALUES(3,'transition:4','transition.announce',1,1,NULL,'["staff"]','{"record_id": 4, "action": "announce", "details": {"late": ["preparation"], "deadlines": [{"kind": "preparation", "start_on": "2018-09-20", "due_on": "2018-10-20", "last_working_on": "2018-10-19", "mode": "strict", "status": "late", "closed_on": "2018-10-25"}, {"kind": "posting", "start_on": "2018-10-25", "due_on": "2018-11-09", "last_working_on": "2018-11-09", "mode": "strict", "status": "open", "closed_on": null}]}}','pending',0,'2026-11-20 03:00:00.000000',NULL,'2026-11-20 03:00:00.000000',NULL,NULL);
INSERT INTO outbox_message VALUES(4,'transition:7','deadline.extended',1,2,3,'["staff", "committee"]','{"record_id": 7, "details": {"deadline": "preparation", "previous_due_on": "2026-12-10", "new_due_on": "2027-01-15", "clause": "\u0e02\u0e49\u0e2d 27"}}','pending',0,'2026-11-20 03:00:00.000000',NULL,'2026-11-20 03:00:00.000000',NULL,NULL);
CREATE TABLE login_failure (
	id INTEGER NOT NULL, 
	username VARCHAR(64) NOT NULL, 
	address VARCHAR(64) NOT NULL, 
	attempted_at DATETIME NOT NULL, 
	CONSTRAINT pk_login_failure PRIMARY KEY (id)
);
CREATE TABLE api_token (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	prefix VARCHAR(16) NOT NULL, 
	label VARCHAR(100) NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	revoked_at DATETIME, 
	CONSTRAINT pk_api_token PRIMARY KEY (id), 
	CONSTRAINT fk_api_token_user_id_user FOREIGN KEY(user_id) REFERENCES user (id), 
	CONSTRAINT uq_api_token_token_hash UNIQUE (token_hash)
);
INSERT INTO api_token VALUES(1,1,'e9b2892fb26317377fcf8b4ca08fa0e660601f3806667593c7088c60df916eaf','lp_o9SDmhZ','demo','2026-11-20 03:00:00.000000','2026-12-20 03:00:00.000000',NULL);
INSERT INTO api_token VALUES(2,2,'88bb250ae3c632758033767cf2bfe129a0e0b378887caeab9034dbfcfbcad275','lp_bBThSoX','demo','2026-11-20 03:00:00.000000','2026-12-20 03:00:00.000000',NULL);
INSERT INTO api_token VALUES(3,3,'c250c3e9b0aeb193b0589b062eeb16cb1697ed4aee5b7099c5bc17ba0479cdc6','lp_brTl1sY','demo','2026-11-20 03:00:00.000000','2026-12-20 03:00:00.000000',NULL);
INSERT INTO api_token VALUES(4,4,'c0eeb573e768fdc8b17711f9f897b814dd276c531bd40653f179201e3129cdc6','lp_OCxKBcH','demo','2026-11-20 03:00:00.000000','2026-12-20 03:00:00.000000',NULL);
INSERT INTO api_token VALUES(5,5,'0a1fcfba6b3ae511758064c1b637c78fe70d16a11409699995547a27b35df3a8','lp_62TIKr0','demo','2026-11-20 03:00:00.000000','2026-12-20 03:00:00.000000',NULL);
CREATE TABLE scheduler_heartbeat (
	instance_id VARCHAR(100) NOT NULL, 
	hostname VARCHAR(255) NOT NULL, 
	pid INTEGER NOT NULL, 
	started_at DATETIME NOT NULL, 
	beat_at DATETIME NOT NULL, 
	stopped_at DATETIME, 
	last_sweep_at DATETIME, 
	last_delivery_at DATETIME, 
	last_error VARCHAR, 
	CONSTRAINT pk_scheduler_heartbeat PRIMARY KEY (instance_id)
);
CREATE TABLE user_contact (
	user_id INTEGER NOT NULL, 
	email VARCHAR(254) NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_user_contact PRIMARY KEY (user_id), 
	CONSTRAINT fk_user_contact_user_id_user FOREIGN KEY(user_id) REFERENCES user (id)
);
CREATE TABLE deadline_alert_state (
	deadline_id INTEGER NOT NULL, 
	swept_on DATE NOT NULL, 
	due_on DATE NOT NULL, 
	last_working_on DATE NOT NULL, 
	completion_tried_on DATE, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_deadline_alert_state PRIMARY KEY (deadline_id), 
	CONSTRAINT fk_deadline_alert_state_deadline_id_deadline FOREIGN KEY(deadline_id) REFERENCES deadline (id)
);
CREATE TABLE delivery (
	id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	message_id INTEGER, 
	user_id INTEGER, 
	channel VARCHAR(32) NOT NULL, 
	address VARCHAR(500) NOT NULL, 
	kind VARCHAR(64) NOT NULL, 
	plan_id INTEGER, 
	subject VARCHAR(500) NOT NULL, 
	body_text VARCHAR NOT NULL, 
	body_html VARCHAR NOT NULL, 
	data JSON NOT NULL, 
	status VARCHAR(32) NOT NULL, 
	attempts INTEGER NOT NULL, 
	available_at DATETIME NOT NULL, 
	lease_owner VARCHAR(100), 
	lease_until DATETIME, 
	created_at DATETIME NOT NULL, 
	sent_at DATETIME, 
	last_error VARCHAR, 
	CONSTRAINT pk_delivery PRIMARY KEY (id), 
	CONSTRAINT fk_delivery_message_id_outbox_message FOREIGN KEY(message_id) REFERENCES outbox_message (id), 
	CONSTRAINT fk_delivery_plan_id_plan FOREIGN KEY(plan_id) REFERENCES "plan" (id), 
	CONSTRAINT fk_delivery_user_id_user FOREIGN KEY(user_id) REFERENCES user (id), 
	CONSTRAINT uq_delivery_key UNIQUE ("key")
);
CREATE TABLE in_app_alert (
	id INTEGER NOT NULL, 
	delivery_id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	kind VARCHAR(64) NOT NULL, 
	plan_id INTEGER, 
	subject VARCHAR(500) NOT NULL, 
	body_text VARCHAR NOT NULL, 
	text_th VARCHAR NOT NULL, 
	text_en VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	read_at DATETIME, 
	CONSTRAINT pk_in_app_alert PRIMARY KEY (id), 
	CONSTRAINT fk_in_app_alert_delivery_id_delivery FOREIGN KEY(delivery_id) REFERENCES delivery (id), 
	CONSTRAINT fk_in_app_alert_plan_id_plan FOREIGN KEY(plan_id) REFERENCES "plan" (id), 
	CONSTRAINT fk_in_app_alert_user_id_user FOREIGN KEY(user_id) REFERENCES user (id), 
	CONSTRAINT uq_in_app_alert_delivery_id UNIQUE (delivery_id)
);
CREATE TABLE IF NOT EXISTS "deadline" (
	id INTEGER NOT NULL, 
	plan_id INTEGER NOT NULL, 
	kind VARCHAR(32) NOT NULL, 
	start_on DATE NOT NULL, 
	days INTEGER NOT NULL, 
	mode VARCHAR(32) NOT NULL, 
	conservative BOOLEAN NOT NULL, 
	clause VARCHAR(64) NOT NULL, 
	base_due_on DATE NOT NULL, 
	due_on DATE NOT NULL, 
	last_working_on DATE NOT NULL, 
	extended BOOLEAN NOT NULL, 
	status VARCHAR(32) NOT NULL, 
	closed_on DATE, 
	created_at DATETIME NOT NULL, 
	closed_at DATETIME, 
	alert_on DATE DEFAULT '0001-01-01' NOT NULL, 
	CONSTRAINT pk_deadline PRIMARY KEY (id), 
	CONSTRAINT fk_deadline_plan_id_plan FOREIGN KEY(plan_id) REFERENCES "plan" (id), 
	CONSTRAINT uq_deadline_plan_id_kind UNIQUE (plan_id, kind)
);
INSERT INTO deadline VALUES(1,1,'preparation','2018-09-20',30,'strict',0,'ข้อ 27','2018-10-20','2018-10-20','2018-10-19',0,'late','2018-10-25','2026-11-20 03:00:00.000000','2026-11-20 03:00:00.000000','0001-01-01');
INSERT INTO deadline VALUES(2,1,'posting','2018-10-25',15,'strict',0,'ข้อ 26 (2)','2018-11-09','2018-11-09','2018-11-09',0,'open',NULL,'2026-11-20 03:00:00.000000',NULL,'0001-01-01');
INSERT INTO deadline VALUES(3,2,'preparation','2026-11-10',30,'strict',0,'ข้อ 27','2026-12-10','2027-01-15','2027-01-15',1,'open',NULL,'2026-11-20 03:00:00.000000',NULL,'0001-01-01');
INSERT INTO deadline VALUES(4,3,'preparation','2026-11-10',30,'strict',0,'ข้อ 27','2026-12-10','2026-12-10','2026-12-08',0,'open',NULL,'2026-11-20 03:00:00.000000',NULL,'0001-01-01');
CREATE INDEX ix_organization_province ON organization (province);
CREATE INDEX ix_plan_org_year_state ON "plan" (organization_id, fiscal_year_be, state);
CREATE INDEX ix_user_organization_id ON user (organization_id);
CREATE INDEX ix_refused_attempt_plan_id ON refused_attempt (plan_id);
CREATE INDEX ix_transition_record_actor_username ON transition_record (actor_username);
CREATE INDEX ix_transition_record_org_recorded ON transition_record (organization_id, recorded_at);
CREATE INDEX ix_transition_record_recorded ON transition_record (recorded_at);
CREATE INDEX ix_deadline_extension_deadline_id ON deadline_extension (deadline_id);
CREATE INDEX ix_outbox_message_status_available ON outbox_message (status, available_at);
CREATE TRIGGER transition_record_no_update BEFORE UPDATE ON transition_record BEGIN SELECT RAISE(ABORT, 'append-only table: UPDATE and DELETE are refused (transition_record)'); END;
CREATE TRIGGER transition_record_no_delete BEFORE DELETE ON transition_record BEGIN SELECT RAISE(ABORT, 'append-only table: UPDATE and DELETE are refused (transition_record)'); END;
CREATE TRIGGER refused_attempt_no_update BEFORE UPDATE ON refused_attempt BEGIN SELECT RAISE(ABORT, 'append-only table: UPDATE and DELETE are refused (refused_attempt)'); END;
CREATE TRIGGER refused_attempt_no_delete BEFORE DELETE ON refused_attempt BEGIN SELECT RAISE(ABORT, 'append-only table: UPDATE and DELETE are refused (refused_attempt)'); END;
CREATE TRIGGER calendar_change_no_update BEFORE UPDATE ON calendar_change BEGIN SELECT RAISE(ABORT, 'append-only table: UPDATE and DELETE are refused (calendar_change)'); END;
CREATE TRIGGER calendar_change_no_delete BEFORE DELETE ON calendar_change BEGIN SELECT RAISE(ABORT, 'append-only table: UPDATE and DELETE are refused (calendar_change)'); END;
CREATE TRIGGER deadline_extension_no_update BEFORE UPDATE ON deadline_extension BEGIN SELECT RAISE(ABORT, 'append-only table: UPDATE and DELETE are refused (deadline_extension)'); END;
CREATE TRIGGER deadline_extension_no_delete BEFORE DELETE ON deadline_extension BEGIN SELECT RAISE(ABORT, 'append-only table: UPDATE and DELETE are refused (deadline_extension)'); END;
CREATE INDEX ix_login_failure_address_at ON login_failure (address, attempted_at);
CREATE INDEX ix_login_failure_username_at ON login_failure (username, attempted_at);
CREATE INDEX ix_api_token_user_id ON api_token (user_id);
CREATE INDEX ix_delivery_message_id ON delivery (message_id);
CREATE INDEX ix_delivery_status_available ON delivery (status, available_at);
CREATE INDEX ix_delivery_user_id ON delivery (user_id);
CREATE INDEX ix_in_app_alert_user_created ON in_app_alert (user_id, created_at);
CREATE INDEX ix_deadline_status_due ON deadline (status, due_on);
CREATE INDEX ix_deadline_status_alert_on ON deadline (status, alert_on);
CREATE INDEX ix_plan_year_org ON "plan" (fiscal_year_be, organization_id);
CREATE TRIGGER deadline_moved_sweep_again AFTER UPDATE OF due_on, last_working_on ON deadline FOR EACH ROW WHEN NEW.due_on IS NOT OLD.due_on OR NEW.last_working_on IS NOT OLD.last_working_on BEGIN UPDATE deadline SET alert_on = '0001-01-01' WHERE id = NEW.id; END;
COMMIT;
