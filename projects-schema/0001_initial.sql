-- Splat-Portrait project file, schema 1.
-- Applied inside one transaction by src/main/project/migrations.ts; user_version becomes 1.
-- Tables marked (history) are edited through the undo log; the others hold immutable or
-- derived data and are never rolled back by undo.

-- (history) Key/value settings; values are JSON text.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL CHECK (json_valid(value))
) STRICT;

-- Content-addressed bytes: imported media, splat buffers, backgrounds. Immutable.
CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
  size   INTEGER NOT NULL CHECK (size >= 0),
  bytes  BLOB NOT NULL
) STRICT;

-- (history) Imported media: one row per distinct content (deduplicated by sha256).
CREATE TABLE media (
  id          TEXT PRIMARY KEY NOT NULL,
  sha256      TEXT NOT NULL UNIQUE REFERENCES blobs (sha256),
  kind        TEXT NOT NULL CHECK (kind IN ('image', 'audio')),
  name        TEXT NOT NULL,
  mime        TEXT NOT NULL,
  size        INTEGER NOT NULL,
  width       INTEGER,
  height      INTEGER,
  duration_s  REAL,
  sample_rate INTEGER,
  channels    INTEGER,
  imported_at TEXT NOT NULL
) STRICT;

-- Derived: small previews of image media, keyed by the source's sha256. May be rebuilt.
CREATE TABLE media_thumbnails (
  sha256 TEXT PRIMARY KEY NOT NULL REFERENCES blobs (sha256),
  mime   TEXT NOT NULL,
  bytes  BLOB NOT NULL
) STRICT;

-- Derived: peak overview of audio media (OVERVIEW_BINS bytes, 0..255 = |sample| 0..1), keyed by
-- the source's sha256. May be rebuilt.
CREATE TABLE media_overviews (
  sha256 TEXT PRIMARY KEY NOT NULL REFERENCES blobs (sha256),
  peaks  BLOB NOT NULL
) STRICT;

-- (history) Avatars built from a portrait by a model pack. Heavy buffers live in blobs, in the
-- splat buffer layout of DESIGN.md (Float32 little-endian structure of arrays).
CREATE TABLE avatars (
  id                TEXT PRIMARY KEY NOT NULL,
  name              TEXT NOT NULL,
  portrait_media_id TEXT NOT NULL REFERENCES media (id),
  model_name        TEXT NOT NULL,
  model_version     TEXT NOT NULL,
  crop              TEXT NOT NULL CHECK (json_valid(crop)),
  camera            TEXT NOT NULL CHECK (json_valid(camera)),
  splat_count       INTEGER NOT NULL CHECK (splat_count >= 0),
  splats_sha256     TEXT NOT NULL REFERENCES blobs (sha256),
  background_sha256 TEXT REFERENCES blobs (sha256),
  features_sha256   TEXT REFERENCES blobs (sha256),
  created_at        TEXT NOT NULL
) STRICT;

-- (history) Timeline tracks.
CREATE TABLE tracks (
  id       TEXT PRIMARY KEY NOT NULL,
  kind     TEXT NOT NULL CHECK (kind IN ('audio', 'camera', 'timewarp')),
  name     TEXT NOT NULL,
  position INTEGER NOT NULL,
  muted    INTEGER NOT NULL DEFAULT 0 CHECK (muted IN (0, 1)),
  solo     INTEGER NOT NULL DEFAULT 0 CHECK (solo IN (0, 1)),
  gain     REAL NOT NULL DEFAULT 1 CHECK (gain >= 0)
) STRICT;

-- (history) Audio clips placed on audio tracks. Times in seconds.
CREATE TABLE audio_clips (
  id         TEXT PRIMARY KEY NOT NULL,
  track_id   TEXT NOT NULL REFERENCES tracks (id),
  media_id   TEXT NOT NULL REFERENCES media (id),
  start_s    REAL NOT NULL CHECK (start_s >= 0),
  trim_in_s  REAL NOT NULL DEFAULT 0 CHECK (trim_in_s >= 0),
  trim_out_s REAL NOT NULL DEFAULT 0 CHECK (trim_out_s >= 0),
  gain       REAL NOT NULL DEFAULT 1 CHECK (gain >= 0)
) STRICT;
CREATE INDEX audio_clips_by_track ON audio_clips (track_id, start_s);

-- (history) Camera path keyframes at output time. Orbit mode uses yaw/pitch/distance around
-- the target; free mode uses the position. Angles in degrees.
CREATE TABLE camera_keyframes (
  id            TEXT PRIMARY KEY NOT NULL,
  time_s        REAL NOT NULL CHECK (time_s >= 0),
  mode          TEXT NOT NULL CHECK (mode IN ('orbit', 'free')),
  yaw_deg       REAL NOT NULL DEFAULT 0,
  pitch_deg     REAL NOT NULL DEFAULT 0,
  distance      REAL NOT NULL DEFAULT 1,
  position_x    REAL, position_y REAL, position_z REAL,
  target_x      REAL NOT NULL DEFAULT 0,
  target_y      REAL NOT NULL DEFAULT 0,
  target_z      REAL NOT NULL DEFAULT 0,
  roll_deg      REAL NOT NULL DEFAULT 0,
  fov_deg       REAL NOT NULL DEFAULT 30 CHECK (fov_deg > 0 AND fov_deg < 180),
  interpolation TEXT NOT NULL DEFAULT 'smooth' CHECK (interpolation IN ('smooth', 'linear', 'hold')),
  tension       REAL NOT NULL DEFAULT 0,
  continuity    REAL NOT NULL DEFAULT 0,
  bias          REAL NOT NULL DEFAULT 0,
  easing        TEXT NOT NULL DEFAULT 'none'
) STRICT;
CREATE INDEX camera_keyframes_by_time ON camera_keyframes (time_s);

-- (history) Time-warp segments: animation time runs at `rate` (0 = freeze) between start_s
-- and end_s of output time. audio_mode: 'silence' mutes audio in a freeze, 'pause' resumes it after.
CREATE TABLE timewarp_segments (
  id         TEXT PRIMARY KEY NOT NULL,
  start_s    REAL NOT NULL CHECK (start_s >= 0),
  end_s      REAL NOT NULL CHECK (end_s > start_s),
  rate       REAL NOT NULL CHECK (rate >= 0),
  audio_mode TEXT NOT NULL DEFAULT 'silence' CHECK (audio_mode IN ('silence', 'pause'))
) STRICT;

-- Export history: a record of each export, not an edit (never undone).
CREATE TABLE exports (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
  output_path TEXT NOT NULL,
  settings    TEXT NOT NULL CHECK (json_valid(settings)),
  frames      INTEGER,
  error       TEXT
) STRICT;

-- The undo log. Each row is one user edit: `changes` is a JSON array of row changes
-- {table, key, before, after} (null before = inserted, null after = deleted).
-- Rows with undone = 1 are the redo stack; a new edit deletes them.
CREATE TABLE history (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  label      TEXT NOT NULL,
  changes    TEXT NOT NULL CHECK (json_valid(changes)),
  undone     INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
  created_at TEXT NOT NULL
) STRICT;

INSERT INTO tracks (id, kind, name, position) VALUES
  ('audio-1', 'audio', 'Audio 1', 0),
  ('camera', 'camera', 'Camera', 1),
  ('timewarp', 'timewarp', 'Time warp', 2);

-- Bookkeeping outside the undo log. 'revision' increases with every committed change.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) STRICT;
INSERT INTO meta (key, value) VALUES ('revision', '0');
