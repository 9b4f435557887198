#pragma once
// The schema trialcal makes on PostgreSQL (`db init`): the tables of SQLite's
// schema 4, column for column (texts compare bytewise, COLLATE "C", as
// SQLite's do; INTEGER is bigint, REAL double precision), so every row keeps
// its digest between engines and `db copy` verifies with the same head. What
// SQLite enforces inside the file, the server enforces against its roles:
// append-only by triggers and by grants (no role but the owner may UPDATE,
// DELETE or TRUNCATE), site scoping by row-level security, and what each role
// may do by the action its audit row names (every write ends with one).
namespace trialcal::store::postgresql {

inline constexpr int schema_version = 4;  // the SQLite schema it mirrors

// Roles are the cluster's, made once for every trial database on it.
inline constexpr const char* roles_sql = R"sql(
DO $$
DECLARE r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['trialcal_nurse', 'trialcal_coordinator', 'trialcal_monitor', 'trialcal_admin',
                           'trialcal_all_sites'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', r);
    END IF;
  END LOOP;
END $$;
GRANT trialcal_nurse TO trialcal_coordinator;
GRANT trialcal_all_sites TO trialcal_monitor, trialcal_admin;
)sql";

inline constexpr const char* schema_sql = R"sql(
CREATE SCHEMA trialcal;
REVOKE ALL ON SCHEMA trialcal FROM PUBLIC;

CREATE TABLE trialcal.meta (
  key   text COLLATE "C" PRIMARY KEY,
  value text COLLATE "C" NOT NULL
);

CREATE FUNCTION trialcal.is_date(t text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN t ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' AND to_char(t::date, 'YYYY-MM-DD') = t;
EXCEPTION WHEN others THEN
  RETURN false;
END $$;

CREATE TABLE trialcal.protocol_file (
  sha256    text COLLATE "C" PRIMARY KEY CHECK (length(sha256) = 64),
  protocol  text COLLATE "C" NOT NULL,
  version   text COLLATE "C" NOT NULL,
  path      text COLLATE "C" NOT NULL,
  text      text COLLATE "C" NOT NULL,
  audit_seq bigint NOT NULL
);

CREATE TABLE trialcal.trial_key (
  id           bigint PRIMARY KEY,
  kind         text COLLATE "C" NOT NULL CHECK (kind = 'unblinding' OR kind = 'signing'),
  public_key   text COLLATE "C" NOT NULL CHECK (length(public_key) = 44),
  fingerprint  text COLLATE "C" NOT NULL CHECK (length(fingerprint) = 16),
  name         text COLLATE "C" NOT NULL DEFAULT '',
  installed_at text COLLATE "C" NOT NULL,
  installed_by text COLLATE "C" NOT NULL CHECK (length(installed_by) > 0),
  audit_seq    bigint NOT NULL
);

CREATE TABLE trialcal.randomization (
  protocol   text COLLATE "C" NOT NULL,
  number     text COLLATE "C" NOT NULL CHECK (length(number) BETWEEN 1 AND 64),
  site       text COLLATE "C",
  ord        bigint NOT NULL,
  sealed_arm text COLLATE "C" NOT NULL,
  key        bigint NOT NULL REFERENCES trialcal.trial_key (id),
  audit_seq  bigint NOT NULL,
  PRIMARY KEY (protocol, number)
);

CREATE TABLE trialcal.patient (
  id                   text COLLATE "C" PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
  protocol             text COLLATE "C" NOT NULL,
  version              text COLLATE "C" NOT NULL,
  protocol_sha256      text COLLATE "C" NOT NULL REFERENCES trialcal.protocol_file (sha256),
  site                 text COLLATE "C" NOT NULL CHECK (length(site) BETWEEN 1 AND 64),
  day0                 text COLLATE "C" NOT NULL CHECK (trialcal.is_date(day0)),
  arm                  text COLLATE "C",
  sealed_arm           text COLLATE "C",
  key                  bigint REFERENCES trialcal.trial_key (id),
  randomization_number text COLLATE "C",
  cohort               text COLLATE "C",
  weight_kg            double precision CHECK (weight_kg IS NULL OR (weight_kg > 0 AND weight_kg <= 350)),
  tz                   text COLLATE "C" NOT NULL,
  enrolled_at          text COLLATE "C" NOT NULL,
  enrolled_by          text COLLATE "C" NOT NULL CHECK (length(enrolled_by) > 0),
  audit_seq            bigint NOT NULL,
  UNIQUE (protocol, randomization_number),
  CHECK (arm IS NULL OR sealed_arm IS NULL),
  CHECK ((sealed_arm IS NULL) = (key IS NULL))
);
-- Ids are unique ignoring ASCII case (course.md): the C collation folds ASCII only.
CREATE UNIQUE INDEX patient_id_nocase ON trialcal.patient (lower(id));
CREATE INDEX patient_site ON trialcal.patient (site, id);

CREATE TABLE trialcal.planned_event (
  patient     text COLLATE "C" NOT NULL REFERENCES trialcal.patient (id),
  event_id    text COLLATE "C" NOT NULL,
  revision    bigint NOT NULL CHECK (revision >= 0),
  retired     bigint NOT NULL DEFAULT 0 CHECK (retired >= 0),
  version     text COLLATE "C" NOT NULL,
  ord         bigint NOT NULL,
  kind        text COLLATE "C" NOT NULL CHECK (kind = 'visit' OR kind = 'dose'),
  day         bigint NOT NULL,
  date        text COLLATE "C" NOT NULL CHECK (date ~ '^[0-9]{4}-[01][0-9]-[0-3][0-9]$'),
  window_from text COLLATE "C" NOT NULL CHECK (length(window_from) = 10 AND window_from <= date),
  window_to   text COLLATE "C" NOT NULL CHECK (length(window_to) = 10 AND window_to >= date),
  sequence    bigint NOT NULL DEFAULT 0,
  name        text COLLATE "C" NOT NULL DEFAULT '',
  procedures  text COLLATE "C" NOT NULL DEFAULT '',
  product     text COLLATE "C" NOT NULL DEFAULT '',
  drug        text COLLATE "C" NOT NULL DEFAULT '',
  amount      double precision,
  unit        text COLLATE "C" NOT NULL DEFAULT '',
  route       text COLLATE "C" NOT NULL DEFAULT '',
  intake      text COLLATE "C" NOT NULL DEFAULT '',
  audit_seq   bigint NOT NULL,
  placed      text COLLATE "C" CHECK (placed IS NULL OR (length(placed) = 10 AND placed <> date)),
  closed_day  bigint CHECK (closed_day IS NULL OR closed_day = 1),
  PRIMARY KEY (patient, event_id, revision)
);

CREATE TABLE trialcal.amendment (
  id              bigint PRIMARY KEY,
  patient         text COLLATE "C" NOT NULL REFERENCES trialcal.patient (id),
  version         text COLLATE "C" NOT NULL,
  protocol_sha256 text COLLATE "C" NOT NULL REFERENCES trialcal.protocol_file (sha256),
  on_date         text COLLATE "C" NOT NULL CHECK (trialcal.is_date(on_date)),
  at              text COLLATE "C" NOT NULL,
  by              text COLLATE "C" NOT NULL CHECK (length(by) > 0),
  reason          text COLLATE "C" NOT NULL CHECK (length(reason) > 0),
  audit_seq       bigint NOT NULL,
  day0            text COLLATE "C" CHECK (day0 IS NULL OR trialcal.is_date(day0))
);
CREATE INDEX amendment_patient ON trialcal.amendment (patient);

CREATE TABLE trialcal.record (
  id          bigint PRIMARY KEY,
  patient     text COLLATE "C" NOT NULL REFERENCES trialcal.patient (id),
  kind        text COLLATE "C" NOT NULL CHECK (kind IN ('dose', 'visit', 'skip', 'discontinue', 'withdraw', 'hold',
                                                        'resume', 'weight', 'dose_change')),
  event_id    text COLLATE "C",
  at_local    text COLLATE "C",
  at_utc      text COLLATE "C",
  tz          text COLLATE "C",
  date        text COLLATE "C" CHECK (date IS NULL OR trialcal.is_date(date)),
  product     text COLLATE "C",
  amount      double precision CHECK (amount IS NULL OR amount >= 0),
  unit        text COLLATE "C",
  kit         text COLLATE "C",
  note        text COLLATE "C",
  reason      text COLLATE "C",
  recorded_at text COLLATE "C" NOT NULL,
  recorded_by text COLLATE "C" NOT NULL CHECK (length(recorded_by) > 0),
  audit_seq   bigint NOT NULL,
  until       text COLLATE "C" CHECK (until IS NULL OR (trialcal.is_date(until) AND until >= date)),
  kg          double precision CHECK (kg IS NULL OR (kg > 0 AND kg <= 350)),
  lost_to_follow_up bigint CHECK (lost_to_follow_up IS NULL OR lost_to_follow_up = 1),
  name        text COLLATE "C",
  CHECK (kind <> 'dose' OR (at_utc IS NOT NULL AND product IS NOT NULL)),
  CHECK (kind <> 'visit' OR (date IS NOT NULL AND (event_id IS NOT NULL OR coalesce(length(reason), 0) > 0))),
  CHECK (kind <> 'skip' OR (event_id IS NOT NULL AND coalesce(length(reason), 0) > 0)),
  CHECK ((kind <> 'discontinue' AND kind <> 'withdraw') OR (date IS NOT NULL AND coalesce(length(reason), 0) > 0)),
  CHECK (kind = 'withdraw' OR lost_to_follow_up IS NULL),
  CHECK (kind <> 'hold' OR (product IS NOT NULL AND date IS NOT NULL AND coalesce(length(reason), 0) > 0)),
  CHECK (kind = 'hold' OR until IS NULL),
  CHECK (kind <> 'resume' OR (product IS NOT NULL AND date IS NOT NULL)),
  CHECK (kind <> 'weight' OR (date IS NOT NULL AND kg IS NOT NULL AND coalesce(length(reason), 0) > 0)),
  CHECK (kind = 'weight' OR kg IS NULL),
  CHECK (kind <> 'dose_change' OR (product IS NOT NULL AND date IS NOT NULL AND amount IS NOT NULL AND
                                   coalesce(length(reason), 0) > 0))
);
CREATE INDEX record_patient ON trialcal.record (patient, id);

CREATE TABLE trialcal.void (
  record    bigint PRIMARY KEY REFERENCES trialcal.record (id),
  reason    text COLLATE "C" NOT NULL CHECK (length(reason) > 0),
  voided_at text COLLATE "C" NOT NULL,
  voided_by text COLLATE "C" NOT NULL,
  audit_seq bigint NOT NULL
);

CREATE TABLE trialcal.site (
  code         text COLLATE "C" NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
  revision     bigint NOT NULL CHECK (revision >= 0),
  name         text COLLATE "C" NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  tz           text COLLATE "C" NOT NULL CHECK (length(tz) > 0),
  country      text COLLATE "C" CHECK (country IS NULL OR length(country) = 2),
  closed       text COLLATE "C" NOT NULL,
  holidays     text COLLATE "C",
  holiday_file text COLLATE "C",
  at           text COLLATE "C" NOT NULL,
  by           text COLLATE "C" NOT NULL CHECK (length(by) > 0),
  audit_seq    bigint NOT NULL,
  PRIMARY KEY (code, revision),
  CHECK ((holidays IS NULL) = (holiday_file IS NULL))
);

CREATE TABLE trialcal.enrollment_void (
  patient   text COLLATE "C" PRIMARY KEY REFERENCES trialcal.patient (id),
  reason    text COLLATE "C" NOT NULL CHECK (length(reason) > 0),
  at        text COLLATE "C" NOT NULL,
  by        text COLLATE "C" NOT NULL CHECK (length(by) > 0),
  audit_seq bigint NOT NULL
);

CREATE TABLE trialcal.screening (
  id              bigint PRIMARY KEY,
  patient         text COLLATE "C" NOT NULL CHECK (length(patient) BETWEEN 1 AND 64),
  protocol        text COLLATE "C" NOT NULL,
  version         text COLLATE "C" NOT NULL,
  protocol_sha256 text COLLATE "C" NOT NULL REFERENCES trialcal.protocol_file (sha256),
  site            text COLLATE "C" NOT NULL,
  on_date         text COLLATE "C" NOT NULL CHECK (trialcal.is_date(on_date)),
  "values"        text COLLATE "C" NOT NULL,
  eligible        bigint NOT NULL CHECK (eligible = 0 OR eligible = 1),
  at              text COLLATE "C" NOT NULL,
  by              text COLLATE "C" NOT NULL CHECK (length(by) > 0),
  audit_seq       bigint NOT NULL
);
CREATE INDEX screening_patient ON trialcal.screening (lower(patient));

CREATE TABLE trialcal.audit (
  seq       bigint PRIMARY KEY,
  at        text COLLATE "C" NOT NULL,
  account   text COLLATE "C" NOT NULL,
  by        text COLLATE "C" NOT NULL,
  action    text COLLATE "C" NOT NULL,
  patient   text COLLATE "C",
  target    text COLLATE "C",
  old       text COLLATE "C",
  new       text COLLATE "C",
  sealed    text COLLATE "C",
  reason    text COLLATE "C",
  source    text COLLATE "C",
  rows      bigint NOT NULL CHECK (rows >= 0),
  digest    text COLLATE "C" NOT NULL,
  prev_hash text COLLATE "C" NOT NULL,
  hash      text COLLATE "C" NOT NULL
);
CREATE INDEX audit_patient ON trialcal.audit (patient, seq);

-- Every row names the audit row that wrote it: verify reads each table in that order.
CREATE INDEX protocol_file_audit ON trialcal.protocol_file (audit_seq);
CREATE INDEX trial_key_audit ON trialcal.trial_key (audit_seq);
CREATE INDEX randomization_audit ON trialcal.randomization (audit_seq);
CREATE INDEX patient_audit ON trialcal.patient (audit_seq);
CREATE INDEX planned_event_audit ON trialcal.planned_event (audit_seq);
CREATE INDEX amendment_audit ON trialcal.amendment (audit_seq);
CREATE INDEX record_audit ON trialcal.record (audit_seq);
CREATE INDEX void_audit ON trialcal.void (audit_seq);
CREATE INDEX site_audit ON trialcal.site (audit_seq);
CREATE INDEX enrollment_void_audit ON trialcal.enrollment_void (audit_seq);
CREATE INDEX screening_audit ON trialcal.screening (audit_seq);

-- Append-only, whoever connects: a change is a new row.
CREATE FUNCTION trialcal.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'P0001';
END $$;
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['protocol_file', 'trial_key', 'randomization', 'patient', 'planned_event', 'amendment',
                           'record', 'void', 'site', 'enrollment_void', 'screening', 'audit'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON trialcal.%I FOR EACH ROW '
                   'EXECUTE FUNCTION trialcal.refuse_change(%L)', t || '_append_only', t,
                   t || ' is append-only: a change is a new row');
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON trialcal.%I FOR EACH STATEMENT '
                   'EXECUTE FUNCTION trialcal.refuse_change(%L)', t || '_no_truncate', t,
                   t || ' is append-only: never truncated');
  END LOOP;
END $$;

-- Sites: a user works at a site when a member of its role, trialcal_site_CODE
-- (made by `site add`); members of trialcal_all_sites (monitors, admins) at all.
CREATE FUNCTION trialcal.sees_all_sites() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT pg_has_role('trialcal_all_sites', 'MEMBER')
$$;
-- The sites the user works at, for a policy to compute once per statement
-- (as an InitPlan, `(SELECT trialcal.my_sites())`) rather than per row: a
-- per-row catalog lookup made "is this patient's row visible?" cost 13 ms a
-- statement at 2 000 patients when the planner hashed the visible patients.
CREATE FUNCTION trialcal.my_sites() RETURNS text[] LANGUAGE sql STABLE AS $$
  SELECT coalesce(pg_catalog.array_agg(pg_catalog.substr(r.rolname, 15)), '{}') FROM pg_catalog.pg_roles r
  WHERE r.rolname LIKE 'trialcal\_site\_%' AND pg_has_role(r.oid, 'MEMBER')
$$;
CREATE FUNCTION trialcal.works_at(code text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT trialcal.sees_all_sites() OR code = ANY (trialcal.my_sites())
$$;

-- What the server knows beyond the caller's sites, and no more: the next id
-- and the head of the chain (under the write's lock), whether an id or a
-- randomisation number is taken, and at which site a patient is (so that a
-- refusal can name it).
CREATE FUNCTION trialcal.next_id(tbl text) RETURNS bigint LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog AS $$
DECLARE n bigint;
BEGIN
  IF tbl NOT IN ('record', 'trial_key', 'amendment', 'screening') THEN
    RAISE EXCEPTION 'no id for %', tbl;
  END IF;
  EXECUTE format('SELECT coalesce(max(id), 0) + 1 FROM trialcal.%I', tbl) INTO n;
  RETURN n;
END $$;
CREATE FUNCTION trialcal.audit_head(OUT seq bigint, OUT hash text) LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog AS $$
  SELECT coalesce(max(a.seq), 0), coalesce((SELECT b.hash FROM trialcal.audit b ORDER BY b.seq DESC LIMIT 1), '')
  FROM trialcal.audit a
$$;
CREATE FUNCTION trialcal.patient_site(patient_id text) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog AS $$
  SELECT site FROM trialcal.patient WHERE id = patient_id
$$;
CREATE FUNCTION trialcal.record_site(record_id bigint) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog AS $$
  SELECT p.site FROM trialcal.record r JOIN trialcal.patient p ON p.id = r.patient WHERE r.id = record_id
$$;
CREATE FUNCTION trialcal.patient_id_ignoring_case(patient_id text) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog AS $$
  SELECT id FROM trialcal.patient WHERE lower(id) = lower(patient_id) ORDER BY id LIMIT 1
$$;
CREATE FUNCTION trialcal.number_holder(protocol_id text, number_text text) RETURNS text LANGUAGE sql STABLE
  SECURITY DEFINER SET search_path = pg_catalog AS $$
  SELECT id FROM trialcal.patient WHERE protocol = protocol_id AND randomization_number = number_text
$$;
-- A site's role, made when the site is added: its staff are its members.
-- Role names are at most 63 bytes; a longer one would be cut, and two sites
-- could share it.
CREATE FUNCTION trialcal.site_role(code text) RETURNS pg_catalog.void LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog AS $$
BEGIN
  IF octet_length('trialcal_site_' || code) > 63 THEN
    RAISE EXCEPTION 'site code % is longer than 49 bytes: a network names a role trialcal_site_CODE after it', code
      USING ERRCODE = '23514';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'trialcal_site_' || code) THEN
    EXECUTE format('CREATE ROLE %I NOLOGIN', 'trialcal_site_' || code);
  END IF;
END $$;
-- A user: a login role with one of trialcal's roles and the sites it works
-- at. Run as the schema's owner, who made trialcal's roles and the sites'
-- (so holds the CREATEROLE that db init needs, and from PostgreSQL 16 on the
-- ADMIN OPTION on those roles that granting them takes), for an admin or
-- the owner only:
-- admins themselves need no CREATEROLE, which would let them make any role.
CREATE FUNCTION trialcal.add_user(name text, kind text, sites text[]) RETURNS pg_catalog.void LANGUAGE plpgsql
  SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE s text;
BEGIN
  IF NOT pg_has_role(session_user, 'trialcal_admin', 'MEMBER') AND NOT pg_has_role(session_user,
       (SELECT nspowner FROM pg_namespace WHERE nspname = 'trialcal'), 'MEMBER') THEN
    RAISE EXCEPTION 'role % is not a trialcal admin: only an admin (or the owner) adds users', session_user
      USING ERRCODE = '42501';
  END IF;
  IF kind NOT IN ('nurse', 'coordinator', 'monitor', 'admin') THEN
    RAISE EXCEPTION 'role %: not one of nurse, coordinator, monitor, admin', kind USING ERRCODE = '22023';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = name) THEN
    EXECUTE format('CREATE ROLE %I LOGIN', name);
  END IF;
  EXECUTE format('GRANT %I TO %I', 'trialcal_' || kind, name);
  FOREACH s IN ARRAY sites LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'trialcal_site_' || s) THEN
      RAISE EXCEPTION 'site %: no such site in this trial (site add it first)', s USING ERRCODE = '22023';
    END IF;
    EXECUTE format('GRANT %I TO %I', 'trialcal_site_' || s, name);
  END LOOP;
END $$;
ALTER TABLE trialcal.trial_key ALTER COLUMN id SET DEFAULT trialcal.next_id('trial_key');
ALTER TABLE trialcal.amendment ALTER COLUMN id SET DEFAULT trialcal.next_id('amendment');
ALTER TABLE trialcal.screening ALTER COLUMN id SET DEFAULT trialcal.next_id('screening');

-- Who may read and write what. Reading: every role; a nurse's and a
-- coordinator's rows limited to their sites by the policies below.
GRANT USAGE ON SCHEMA trialcal TO trialcal_nurse, trialcal_coordinator, trialcal_monitor, trialcal_admin;
GRANT SELECT ON ALL TABLES IN SCHEMA trialcal TO trialcal_nurse, trialcal_coordinator, trialcal_monitor,
  trialcal_admin;
-- A dose can move the events anchored on it (a new revision of each).
GRANT INSERT ON trialcal.record, trialcal.void, trialcal.planned_event, trialcal.audit TO trialcal_nurse;
GRANT INSERT ON trialcal.patient, trialcal.amendment, trialcal.enrollment_void, trialcal.screening,
  trialcal.protocol_file TO trialcal_coordinator;
GRANT INSERT ON trialcal.site, trialcal.trial_key, trialcal.randomization, trialcal.protocol_file,
  trialcal.planned_event, trialcal.audit TO trialcal_admin;
-- A monitor writes one thing: the audit row of a signature or an unblinding.
GRANT INSERT ON trialcal.audit TO trialcal_monitor;

ALTER TABLE trialcal.patient ENABLE ROW LEVEL SECURITY;
ALTER TABLE trialcal.screening ENABLE ROW LEVEL SECURITY;
ALTER TABLE trialcal.randomization ENABLE ROW LEVEL SECURITY;
ALTER TABLE trialcal.planned_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE trialcal.amendment ENABLE ROW LEVEL SECURITY;
ALTER TABLE trialcal.record ENABLE ROW LEVEL SECURITY;
ALTER TABLE trialcal.enrollment_void ENABLE ROW LEVEL SECURITY;
ALTER TABLE trialcal.void ENABLE ROW LEVEL SECURITY;
ALTER TABLE trialcal.audit ENABLE ROW LEVEL SECURITY;

-- Where the user works: decided once per statement (InitPlans), then an
-- array lookup per row.
CREATE POLICY at_site ON trialcal.patient USING ((SELECT trialcal.sees_all_sites()) OR site = ANY ((SELECT trialcal.my_sites())::text[]))
  WITH CHECK ((SELECT trialcal.sees_all_sites()) OR site = ANY ((SELECT trialcal.my_sites())::text[]));
CREATE POLICY at_site ON trialcal.screening USING ((SELECT trialcal.sees_all_sites()) OR site = ANY ((SELECT trialcal.my_sites())::text[]))
  WITH CHECK ((SELECT trialcal.sees_all_sites()) OR site = ANY ((SELECT trialcal.my_sites())::text[]));
CREATE POLICY at_site ON trialcal.randomization USING (site IS NULL OR ((SELECT trialcal.sees_all_sites()) OR site = ANY ((SELECT trialcal.my_sites())::text[])))
  WITH CHECK (site IS NULL OR ((SELECT trialcal.sees_all_sites()) OR site = ANY ((SELECT trialcal.my_sites())::text[])));
-- Rows of a patient: visible and writable where the patient is (the
-- patient table's own policy decides); for all-sites roles, decided once.
CREATE POLICY at_site ON trialcal.planned_event USING ((SELECT trialcal.sees_all_sites()) OR
  EXISTS (SELECT 1 FROM trialcal.patient p WHERE p.id = planned_event.patient));
CREATE POLICY at_site ON trialcal.amendment USING ((SELECT trialcal.sees_all_sites()) OR
  EXISTS (SELECT 1 FROM trialcal.patient p WHERE p.id = amendment.patient));
CREATE POLICY at_site ON trialcal.record USING ((SELECT trialcal.sees_all_sites()) OR
  EXISTS (SELECT 1 FROM trialcal.patient p WHERE p.id = record.patient));
CREATE POLICY at_site ON trialcal.enrollment_void USING ((SELECT trialcal.sees_all_sites()) OR
  EXISTS (SELECT 1 FROM trialcal.patient p WHERE p.id = enrollment_void.patient));
CREATE POLICY at_site ON trialcal.void USING ((SELECT trialcal.sees_all_sites()) OR
  EXISTS (SELECT 1 FROM trialcal.record r WHERE r.id = void.record));
-- An audit row about a patient: where the patient is, or, before enrollment,
-- where they were screened.
CREATE POLICY at_site ON trialcal.audit USING ((SELECT trialcal.sees_all_sites()) OR coalesce(patient, '') = '' OR
  EXISTS (SELECT 1 FROM trialcal.patient p WHERE p.id = audit.patient) OR
  EXISTS (SELECT 1 FROM trialcal.screening s WHERE s.patient = audit.patient));
-- A nurse records administrations, visits and skips, and voids those; the
-- patient's course is a coordinator's.
CREATE POLICY nurse_kinds ON trialcal.record AS RESTRICTIVE FOR INSERT
  WITH CHECK (kind IN ('dose', 'visit', 'skip') OR pg_has_role('trialcal_coordinator', 'MEMBER'));
CREATE POLICY nurse_kinds ON trialcal.void AS RESTRICTIVE FOR INSERT
  WITH CHECK (pg_has_role('trialcal_coordinator', 'MEMBER') OR
              EXISTS (SELECT 1 FROM trialcal.record r WHERE r.id = void.record AND r.kind IN ('dose', 'visit', 'skip')));
-- Every write ends with its audit row: the role that logged in is its
-- account, and the action it names must be one the role may take, so a
-- write a role may not make is refused whole.
CREATE POLICY own_row ON trialcal.audit AS RESTRICTIVE FOR INSERT WITH CHECK (account = session_user);
CREATE POLICY role_action ON trialcal.audit AS RESTRICTIVE FOR INSERT WITH CHECK (
  (action IN ('dose', 'visit', 'skip', 'void', 're-project', 'unblind') AND pg_has_role('trialcal_nurse', 'MEMBER'))
  OR (action IN ('enroll', 'screen', 'import doses', 'shift', 'reconsent', 'discontinue', 'withdraw', 'hold',
                 'resume', 'weight', 'dose change', 'void enrollment', 'correct day0')
      AND pg_has_role('trialcal_coordinator', 'MEMBER'))
  OR (action IN ('sign report', 'unblind') AND pg_has_role('trialcal_monitor', 'MEMBER'))
  OR (action IN ('site add', 'site set', 'place', 'install key', 'randomization import', 'unblind', 'user add')
      AND pg_has_role('trialcal_admin', 'MEMBER')));

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA trialcal FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA trialcal TO trialcal_nurse, trialcal_coordinator, trialcal_monitor,
  trialcal_admin;
REVOKE EXECUTE ON FUNCTION trialcal.site_role(text), trialcal.add_user(text, text, text[])
  FROM trialcal_nurse, trialcal_coordinator, trialcal_monitor;

-- A database whose CONNECT was revoked from PUBLIC (docs/network.md) still
-- lets trialcal's roles in.
DO $$
BEGIN
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO trialcal_nurse, trialcal_coordinator, trialcal_monitor, '
                 'trialcal_admin', current_database());
END $$;

INSERT INTO trialcal.meta VALUES ('schema_version', '4');
)sql";

}  // namespace trialcal::store::postgresql
