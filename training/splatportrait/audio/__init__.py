"""Audio front-ends for Splat-Portrait training. Submodule logmel: the "logmel-v1" log-mel features
(spec: resources/audio-frontend/logmel-v1.json; app-side twin: src/shared/audio/logmel.ts).
Import it as `from splatportrait.audio import logmel` (this package re-exports nothing, so the
submodule name is never shadowed by the function of the same name)."""
