/**
 * A silent playback clock for the preview while no TransportContext is provided above it (the
 * studio frame provides the real one once playback is wired in): the same Transport class with
 * no audio context, so it keeps time from the page clock and never asks for audio.
 */
import { Transport } from '../playback/transport.ts';

export function createStandInTransport(): Transport {
  return new Transport({
    fetchPcm: () => Promise.reject(new Error('The stand-in transport plays no audio')),
    createAudioContext: () => null,
  });
}
