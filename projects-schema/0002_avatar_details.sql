-- Splat-Portrait project file, schema 2: what the engine (issue 5) records per avatar.
-- face_index: which detected face was used (0 = the largest) when the portrait shows several.
-- warnings:   JSON array of messages the creator should see (several faces, head cut by the border).
ALTER TABLE avatars ADD COLUMN face_index INTEGER NOT NULL DEFAULT 0 CHECK (face_index >= 0);
ALTER TABLE avatars ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(warnings));
