-- Splat-Portrait project file, schema 3: the studio UI (issue 6).
-- clip_id ties a camera key or time-warp segment to an audio clip: moving the clip moves it by the
-- same amount. Null = untied. Removing a clip unties its items in the same undoable edit (the
-- foreign key, without an ON DELETE action, refuses a delete that would leave a dangling tie;
-- SQLite's own SET NULL would bypass the undo log).
ALTER TABLE camera_keyframes ADD COLUMN clip_id TEXT REFERENCES audio_clips (id);
ALTER TABLE timewarp_segments ADD COLUMN clip_id TEXT REFERENCES audio_clips (id);
CREATE INDEX camera_keyframes_by_clip ON camera_keyframes (clip_id) WHERE clip_id IS NOT NULL;
CREATE INDEX timewarp_segments_by_clip ON timewarp_segments (clip_id) WHERE clip_id IS NOT NULL;
CREATE INDEX timewarp_segments_by_start ON timewarp_segments (start_s);

-- How the studio last looked at the project (zoom, scroll, playhead, panel sizes), restored on
-- reopen. Outside the undo log: saving it is not an edit and undo never touches it.
-- One row per key; the studio writes key 'studio' with a JSON ViewState (src/shared/project/types.ts).
CREATE TABLE view_state (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL CHECK (json_valid(value))
) STRICT;
