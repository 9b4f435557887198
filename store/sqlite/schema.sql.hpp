#pragma once
// The schema trialcal makes: version 4, made as version 2's text and then
// version 3's and 4's changes, so that a fresh database and one migrated from
// version 2 hold the same schema, byte for byte (audit verify compares it).
// Version 1 (before issue 13, arms in plain text) is carried over by
// `db migrate`; its text is in git history.
namespace trialcal::store::sqlite {

// Schema version 2. STRICT tables, CHECK constraints. Every table is
// append-only (triggers refuse UPDATE and DELETE): a change is a new row. Each
// row names the audit row that wrote it (audit_seq), and that audit row holds
// the digest of exactly the rows that name it (store/row_digest.hpp),
// so `audit verify` finds any row edited, added or removed behind trialcal's
// back. Arms of blinded protocols exist only as sealed boxes (base64 of
// crypto_box_seal to the trial's unblinding key, padded to one length).
inline constexpr const char* schema_v2 = R"sql(
CREATE TABLE protocol_file (
  sha256    TEXT PRIMARY KEY CHECK (length(sha256) = 64),
  protocol  TEXT NOT NULL,
  version   TEXT NOT NULL,
  path      TEXT NOT NULL,
  text      TEXT NOT NULL,
  audit_seq INTEGER NOT NULL
) STRICT;

-- Public keys installed in the trial: the unblinding key allocations are
-- sealed to, and signers' keys. The newest of a kind is the one in use.
CREATE TABLE trial_key (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind = 'unblinding' OR kind = 'signing'),
  public_key   TEXT NOT NULL CHECK (length(public_key) = 44),
  fingerprint  TEXT NOT NULL CHECK (length(fingerprint) = 16),
  name         TEXT NOT NULL DEFAULT '',
  installed_at TEXT NOT NULL,
  installed_by TEXT NOT NULL CHECK (length(installed_by) > 0),
  audit_seq    INTEGER NOT NULL
) STRICT;

-- A randomisation list: each number's arm is a sealed box; `ord` is the
-- order numbers are given in (per site when the list names sites).
CREATE TABLE randomization (
  protocol   TEXT NOT NULL,
  number     TEXT NOT NULL CHECK (length(number) BETWEEN 1 AND 64),
  site       TEXT,
  ord        INTEGER NOT NULL,
  sealed_arm TEXT NOT NULL,
  key        INTEGER NOT NULL REFERENCES trial_key (id),
  audit_seq  INTEGER NOT NULL,
  PRIMARY KEY (protocol, number)
) STRICT;

-- `arm` is plain only for a protocol that is not blinded; a blinded one's
-- arm is `sealed_arm`, sealed to trial_key `key`.
CREATE TABLE patient (
  id                   TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
  protocol             TEXT NOT NULL,
  version              TEXT NOT NULL,
  protocol_sha256      TEXT NOT NULL REFERENCES protocol_file (sha256),
  site                 TEXT NOT NULL CHECK (length(site) BETWEEN 1 AND 64),
  day0                 TEXT NOT NULL CHECK (date(day0, '+0 days') IS day0),
  arm                  TEXT,
  sealed_arm           TEXT,
  key                  INTEGER REFERENCES trial_key (id),
  randomization_number TEXT,
  cohort               TEXT,
  weight_kg            REAL CHECK (weight_kg IS NULL OR (weight_kg > 0 AND weight_kg <= 350)),
  tz                   TEXT NOT NULL,
  enrolled_at          TEXT NOT NULL,
  enrolled_by          TEXT NOT NULL CHECK (length(enrolled_by) > 0),
  audit_seq            INTEGER NOT NULL,
  UNIQUE (protocol, randomization_number),
  CHECK (arm IS NULL OR sealed_arm IS NULL),
  CHECK ((sealed_arm IS NULL) = (key IS NULL))
) STRICT;

-- The plan, as revisions: enrollment writes revision 0 of each event; a
-- shift writes the next revision with the new dates; an amendment writes a
-- revision with `retired` = its id for each event it takes out, then the
-- new version's events. An event's newest revision is the plan, unless
-- retired. Clustered on (patient, event_id, revision): a patient's plan is
-- one range of the B-tree. The dates are written by the core's calendar
-- arithmetic, so the CHECKs stay cheap (format and order), not date() parses.
CREATE TABLE planned_event (
  patient     TEXT NOT NULL REFERENCES patient (id),
  event_id    TEXT NOT NULL,
  revision    INTEGER NOT NULL CHECK (revision >= 0),
  retired     INTEGER NOT NULL DEFAULT 0 CHECK (retired >= 0),
  version     TEXT NOT NULL,
  ord         INTEGER NOT NULL,
  kind        TEXT NOT NULL CHECK (kind = 'visit' OR kind = 'dose'),
  day         INTEGER NOT NULL,
  date        TEXT NOT NULL CHECK (length(date) = 10 AND date GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
  window_from TEXT NOT NULL CHECK (length(window_from) = 10 AND window_from <= date),
  window_to   TEXT NOT NULL CHECK (length(window_to) = 10 AND window_to >= date),
  sequence    INTEGER NOT NULL DEFAULT 0,
  name        TEXT NOT NULL DEFAULT '',
  procedures  TEXT NOT NULL DEFAULT '',
  product     TEXT NOT NULL DEFAULT '',
  drug        TEXT NOT NULL DEFAULT '',
  amount      REAL,
  unit        TEXT NOT NULL DEFAULT '',
  route       TEXT NOT NULL DEFAULT '',
  intake      TEXT NOT NULL DEFAULT '',
  audit_seq   INTEGER NOT NULL,
  PRIMARY KEY (patient, event_id, revision)
) STRICT, WITHOUT ROWID;

-- Protocol amendments a patient re-consented to: from `on_date` on, the plan
-- follows `version`. The newest row is the patient's current version.
CREATE TABLE amendment (
  id              INTEGER PRIMARY KEY,
  patient         TEXT NOT NULL REFERENCES patient (id),
  version         TEXT NOT NULL,
  protocol_sha256 TEXT NOT NULL REFERENCES protocol_file (sha256),
  on_date         TEXT NOT NULL CHECK (date(on_date, '+0 days') IS on_date),
  at              TEXT NOT NULL,
  by              TEXT NOT NULL CHECK (length(by) > 0),
  reason          TEXT NOT NULL CHECK (length(reason) > 0),
  audit_seq       INTEGER NOT NULL
) STRICT;

CREATE INDEX amendment_patient ON amendment (patient);

-- What happened: administrations, visits, skips.
CREATE TABLE record (
  id          INTEGER PRIMARY KEY,
  patient     TEXT NOT NULL REFERENCES patient (id),
  -- Not IN (…): SQLite builds a temporary B-tree for an IN list on every row.
  kind        TEXT NOT NULL CHECK (kind = 'dose' OR kind = 'visit' OR kind = 'skip'),
  event_id    TEXT,
  at_local    TEXT,
  at_utc      TEXT,
  tz          TEXT,
  date        TEXT CHECK (date IS NULL OR date(date, '+0 days') IS date),
  product     TEXT,
  amount      REAL CHECK (amount IS NULL OR amount >= 0),
  unit        TEXT,
  kit         TEXT,
  note        TEXT,
  reason      TEXT,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL CHECK (length(recorded_by) > 0),
  audit_seq   INTEGER NOT NULL,
  CHECK (kind <> 'dose' OR (at_utc IS NOT NULL AND product IS NOT NULL)),
  CHECK (kind <> 'visit' OR (event_id IS NOT NULL AND date IS NOT NULL)),
  CHECK (kind <> 'skip' OR (event_id IS NOT NULL AND coalesce(length(reason), 0) > 0))
) STRICT;
CREATE INDEX record_patient ON record (patient);

CREATE TABLE void (
  record    INTEGER PRIMARY KEY REFERENCES record (id),
  reason    TEXT NOT NULL CHECK (length(reason) > 0),
  voided_at TEXT NOT NULL,
  voided_by TEXT NOT NULL,
  audit_seq INTEGER NOT NULL
) STRICT;

-- Hash-chained: hash = SHA-256 of the row's canonical form, which holds
-- prev_hash (store/audit.hpp). `account` is who the operating system says
-- ran trialcal; `by` the name they gave. `rows` and `digest` account for
-- the rows this write made in every other table; `source` is the SHA-256 of
-- the file an import read (an import is refused twice).
CREATE TABLE audit (
  seq       INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  account   TEXT NOT NULL,
  by        TEXT NOT NULL,
  action    TEXT NOT NULL,
  patient   TEXT,
  target    TEXT,
  old       TEXT,
  new       TEXT,
  sealed    TEXT,
  reason    TEXT,
  source    TEXT,
  rows      INTEGER NOT NULL CHECK (rows >= 0),
  digest    TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL  -- not indexed: the chain proves it; a random-key index slowed every write
) STRICT;
CREATE INDEX audit_patient ON audit (patient);

CREATE TRIGGER protocol_file_no_update BEFORE UPDATE ON protocol_file BEGIN SELECT RAISE(ABORT, 'protocol texts are kept as enrolled: a changed file is a new row'); END;
CREATE TRIGGER protocol_file_no_delete BEFORE DELETE ON protocol_file BEGIN SELECT RAISE(ABORT, 'protocol texts are never deleted'); END;
CREATE TRIGGER trial_key_no_update BEFORE UPDATE ON trial_key BEGIN SELECT RAISE(ABORT, 'keys are append-only: install a new one'); END;
CREATE TRIGGER trial_key_no_delete BEFORE DELETE ON trial_key BEGIN SELECT RAISE(ABORT, 'keys are append-only: install a new one'); END;
CREATE TRIGGER randomization_no_update BEFORE UPDATE ON randomization BEGIN SELECT RAISE(ABORT, 'a randomization list is never changed'); END;
CREATE TRIGGER randomization_no_delete BEFORE DELETE ON randomization BEGIN SELECT RAISE(ABORT, 'a randomization list is never changed'); END;
CREATE TRIGGER patient_no_update BEFORE UPDATE ON patient BEGIN SELECT RAISE(ABORT, 'patients are never changed: an enrollment is corrected by a new one'); END;
CREATE TRIGGER patient_no_delete BEFORE DELETE ON patient BEGIN SELECT RAISE(ABORT, 'patients are never deleted'); END;
CREATE TRIGGER planned_event_no_update BEFORE UPDATE ON planned_event BEGIN SELECT RAISE(ABORT, 'planned events are revised by a new revision, never changed'); END;
CREATE TRIGGER planned_event_no_delete BEFORE DELETE ON planned_event BEGIN SELECT RAISE(ABORT, 'planned events are never deleted'); END;
CREATE TRIGGER amendment_no_update BEFORE UPDATE ON amendment BEGIN SELECT RAISE(ABORT, 'amendments are append-only'); END;
CREATE TRIGGER amendment_no_delete BEFORE DELETE ON amendment BEGIN SELECT RAISE(ABORT, 'amendments are append-only'); END;
CREATE TRIGGER record_no_update BEFORE UPDATE ON record BEGIN SELECT RAISE(ABORT, 'records are append-only: void and re-enter'); END;
CREATE TRIGGER record_no_delete BEFORE DELETE ON record BEGIN SELECT RAISE(ABORT, 'records are append-only: void and re-enter'); END;
CREATE TRIGGER void_no_update BEFORE UPDATE ON void BEGIN SELECT RAISE(ABORT, 'voids are append-only'); END;
CREATE TRIGGER void_no_delete BEFORE DELETE ON void BEGIN SELECT RAISE(ABORT, 'voids are append-only'); END;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
)sql";

// Schema version 3 (issue 15): sites with their zone and closed days, and
// where each planned event done at the site takes place. `placed` is the
// open day an event is placed on when its nominal date is a closed day
// (NULL: on its nominal date); `closed_day` is 1 when its window holds no
// open day. Both are NULL unless set, so rows written before they existed
// keep their digest (store/tables.hpp: later columns).
inline constexpr const char* schema_v3 = R"sql(
ALTER TABLE planned_event ADD COLUMN placed TEXT CHECK (placed IS NULL OR (length(placed) = 10 AND placed <> date));
ALTER TABLE planned_event ADD COLUMN closed_day INTEGER CHECK (closed_day IS NULL OR closed_day = 1);

-- Sites, as revisions: `site add` writes revision 0, each `site set` the
-- next with every field as it then stands; the newest is the site. `closed`
-- lists closed weekdays ("sat,sun"; "" for none); `holidays` names the
-- holiday calendar (calendars/holidays/CC.toml), NULL for none, and
-- `holiday_file` is that file's text as registered: placement reads it from
-- here, so a holiday file edited later changes no site until `site set`.
CREATE TABLE site (
  code      TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
  revision  INTEGER NOT NULL CHECK (revision >= 0),
  name      TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  tz        TEXT NOT NULL CHECK (length(tz) > 0),
  country   TEXT CHECK (country IS NULL OR length(country) = 2),
  closed    TEXT NOT NULL,
  holidays  TEXT,
  holiday_file TEXT,
  at        TEXT NOT NULL,
  by        TEXT NOT NULL CHECK (length(by) > 0),
  audit_seq INTEGER NOT NULL,
  PRIMARY KEY (code, revision),
  CHECK ((holidays IS NULL) = (holiday_file IS NULL))
) STRICT, WITHOUT ROWID;

CREATE TRIGGER site_no_update BEFORE UPDATE ON site BEGIN SELECT RAISE(ABORT, 'sites are changed by a new revision: site set'); END;
CREATE TRIGGER site_no_delete BEFORE DELETE ON site BEGIN SELECT RAISE(ABORT, 'sites are never deleted'); END;
)sql";

// Schema version 4 (issue 16): the patient's course (course.md). The record
// table is made again with more kinds (a status change, a hold and its
// resumption, a weight, a dose change) and unscheduled visits (a visit with
// no planned event, with its reason): SQLite cannot widen a CHECK in place.
// Its rows are copied as they are, columns in the same order, so every
// row keeps its digest; the new columns come last and are NULL unless set.
// Run inside one transaction with foreign keys deferred to its commit (void
// rows name records while `record` is briefly absent). A fresh database runs
// the same statements on an empty table, so both hold the same schema text.
inline constexpr const char* schema_v4 = R"sql(
PRAGMA defer_foreign_keys = ON;
CREATE TABLE record_v4 (
  id          INTEGER PRIMARY KEY,
  patient     TEXT NOT NULL REFERENCES patient (id),
  -- Not IN (…): SQLite builds a temporary B-tree for an IN list on every row.
  kind        TEXT NOT NULL CHECK (kind = 'dose' OR kind = 'visit' OR kind = 'skip' OR kind = 'discontinue' OR
                                   kind = 'withdraw' OR kind = 'hold' OR kind = 'resume' OR kind = 'weight' OR
                                   kind = 'dose_change'),
  event_id    TEXT,
  at_local    TEXT,
  at_utc      TEXT,
  tz          TEXT,
  date        TEXT CHECK (date IS NULL OR date(date, '+0 days') IS date),
  product     TEXT,
  amount      REAL CHECK (amount IS NULL OR amount >= 0),
  unit        TEXT,
  kit         TEXT,
  note        TEXT,
  reason      TEXT,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL CHECK (length(recorded_by) > 0),
  audit_seq   INTEGER NOT NULL,
  -- A hold's last day (NULL: until resumed).
  until       TEXT CHECK (until IS NULL OR (date(until, '+0 days') IS until AND until >= date)),
  -- A weight, in kg.
  kg          REAL CHECK (kg IS NULL OR (kg > 0 AND kg <= 350)),
  -- A withdrawal: the patient was lost to follow-up.
  lost_to_follow_up INTEGER CHECK (lost_to_follow_up IS NULL OR lost_to_follow_up = 1),
  -- An unscheduled visit's name.
  name        TEXT,
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
) STRICT;
INSERT INTO record_v4 (id, patient, kind, event_id, at_local, at_utc, tz, date, product, amount, unit, kit, note,
                       reason, recorded_at, recorded_by, audit_seq)
  SELECT id, patient, kind, event_id, at_local, at_utc, tz, date, product, amount, unit, kit, note, reason,
         recorded_at, recorded_by, audit_seq FROM record ORDER BY id;
DROP TABLE record;
ALTER TABLE record_v4 RENAME TO record;
CREATE INDEX record_patient ON record (patient);
CREATE TRIGGER record_no_update BEFORE UPDATE ON record BEGIN SELECT RAISE(ABORT, 'records are append-only: void and re-enter'); END;
CREATE TRIGGER record_no_delete BEFORE DELETE ON record BEGIN SELECT RAISE(ABORT, 'records are append-only: void and re-enter'); END;

-- Day 0 as corrected (correct --day0): an amendment row that keeps the
-- version and moves day 0. NULL: day 0 as enrolled, or as the amendment
-- before it left it.
ALTER TABLE amendment ADD COLUMN day0 TEXT CHECK (day0 IS NULL OR date(day0, '+0 days') IS day0);

-- Patient ids are unique ignoring case (course.md, Corrections): checked
-- through this index before an enrollment is written.
CREATE INDEX patient_id_nocase ON patient (id COLLATE NOCASE);

-- An enrollment entered in error: the patient leaves worklists, reports and
-- exports, and stays in the trail; the id and the randomisation number stay
-- taken. Final: it is not itself voided.
CREATE TABLE enrollment_void (
  patient   TEXT PRIMARY KEY REFERENCES patient (id),
  reason    TEXT NOT NULL CHECK (length(reason) > 0),
  at        TEXT NOT NULL,
  by        TEXT NOT NULL CHECK (length(by) > 0),
  audit_seq INTEGER NOT NULL
) STRICT;

-- Screenings (course.md, Eligibility): the values typed and the verdict,
-- against the protocol text of the version screened for. Not a patient
-- yet: a screen failure never is one. `values` is "id=number" pairs joined
-- by the unit separator, in the protocol's order of criteria.
CREATE TABLE screening (
  id              INTEGER PRIMARY KEY,
  patient         TEXT NOT NULL CHECK (length(patient) BETWEEN 1 AND 64),
  protocol        TEXT NOT NULL,
  version         TEXT NOT NULL,
  protocol_sha256 TEXT NOT NULL REFERENCES protocol_file (sha256),
  site            TEXT NOT NULL,
  on_date         TEXT NOT NULL CHECK (date(on_date, '+0 days') IS on_date),
  "values"        TEXT NOT NULL,
  eligible        INTEGER NOT NULL CHECK (eligible = 0 OR eligible = 1),
  at              TEXT NOT NULL,
  by              TEXT NOT NULL CHECK (length(by) > 0),
  audit_seq       INTEGER NOT NULL
) STRICT;
CREATE INDEX screening_patient ON screening (patient COLLATE NOCASE);

CREATE TRIGGER enrollment_void_no_update BEFORE UPDATE ON enrollment_void BEGIN SELECT RAISE(ABORT, 'a voided enrollment stays voided'); END;
CREATE TRIGGER enrollment_void_no_delete BEFORE DELETE ON enrollment_void BEGIN SELECT RAISE(ABORT, 'a voided enrollment stays voided'); END;
CREATE TRIGGER screening_no_update BEFORE UPDATE ON screening BEGIN SELECT RAISE(ABORT, 'screenings are append-only'); END;
CREATE TRIGGER screening_no_delete BEFORE DELETE ON screening BEGIN SELECT RAISE(ABORT, 'screenings are append-only'); END;
)sql";

}  // namespace trialcal::store::sqlite
