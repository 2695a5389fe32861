-- Version 4: each consultation keeps its own thinking mode ("on", "off" or "auto").
ALTER TABLE consultations ADD COLUMN thinking TEXT NOT NULL DEFAULT 'auto'
    CHECK (thinking IN ('on', 'off', 'auto'));
