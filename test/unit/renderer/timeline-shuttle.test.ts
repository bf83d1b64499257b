/**
 * The J/K/L shuttle: the pure state machine (speeds for repeated presses, K, frame steps), the
 * shuttle clock, and the transport running it silently on the page clock until 0 or the end.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { outputAt, outputAtRate } from '../../../src/renderer/src/playback/clock-map.ts';
import { rateLabel, shuttleCommand, type ShuttleKey } from '../../../src/renderer/src/playback/shuttle.ts';
import { Transport } from '../../../src/renderer/src/playback/transport.ts';
import { shortcutFor, type KeyLike } from '../../../src/renderer/src/state/shortcuts.ts';

/** The rate after pressing `keys` one after another from `rate`. */
function press(keys: string, rate = 0): number {
  for (const key of keys) {
    const command = shuttleCommand(rate, key as ShuttleKey);
    if (command.kind !== 'rate') throw new Error('expected a rate');
    rate = command.rate;
  }
  return rate;
}

describe('shuttleCommand', () => {
  it('L plays forward, and again 2x then 4x, and stays at 4x', () => {
    expect(press('l')).toBe(1);
    expect(press('ll')).toBe(2);
    expect(press('lll')).toBe(4);
    expect(press('lllll')).toBe(4);
  });
  it('J plays in reverse, and again -2x then -4x, and stays at -4x', () => {
    expect(press('j')).toBe(-1);
    expect(press('jj')).toBe(-2);
    expect(press('jjj')).toBe(-4);
    expect(press('jjjjj')).toBe(-4);
  });
  it('K stops from any speed, and the next press starts again at 1x', () => {
    for (const from of [1, 2, 4, -1, -2, -4, 0]) expect(shuttleCommand(from, 'k')).toEqual({ kind: 'rate', rate: 0 });
    expect(press('lllkl')).toBe(1);
    expect(press('jjkj')).toBe(-1);
  });
  it('the other direction starts at 1x that way', () => {
    expect(press('lllj')).toBe(-1);
    expect(press('jjl')).toBe(1);
    expect(press('ljl')).toBe(1);
  });
  it('L from normal playback (Space) goes to 2x', () => {
    expect(press('l', 1)).toBe(2);
  });
  it('J or L with K held steps one frame instead', () => {
    expect(shuttleCommand(0, 'j', true)).toEqual({ kind: 'step', frames: -1 });
    expect(shuttleCommand(0, 'l', true)).toEqual({ kind: 'step', frames: 1 });
    expect(shuttleCommand(0, 'k', true)).toEqual({ kind: 'rate', rate: 0 });
  });
  it('labels only shuttle speeds', () => {
    expect([0, 1, 2, 4, -1, -2, -4].map(rateLabel)).toEqual(['', '', '2×', '4×', '−1×', '−2×', '−4×']);
  });
});

describe('the J/K/L keys', () => {
  const key = (k: string, repeat = false): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, typing: false, repeat });
  it('map to the shuttle, and a held J or L does not auto-repeat to 4x', () => {
    expect(shortcutFor(key('j'))).toBe('shuttle-reverse');
    expect(shortcutFor(key('k'))).toBe('shuttle-stop');
    expect(shortcutFor(key('l'))).toBe('shuttle-forward');
    expect(shortcutFor(key('j', true))).toBeNull();
    expect(shortcutFor(key('l', true))).toBeNull();
    // Other keys still repeat (a held arrow walks frame by frame).
    expect(shortcutFor(key('ArrowRight', true))).toBe('frame-forward');
  });
});

describe('outputAtRate', () => {
  const anchor = { clockS: 100, outS: 5 };
  it('is exactly outputAt at rate 1, loop or not', () => {
    for (const clock of [99, 100, 100.37, 104.2]) {
      expect(outputAtRate(anchor, null, 1, clock)).toBe(outputAt(anchor, null, clock));
      expect(outputAtRate(anchor, { startS: 4, endS: 6 }, 1, clock)).toBe(outputAt(anchor, { startS: 4, endS: 6 }, clock));
    }
  });
  it('runs faster forward, wrapping in a loop like rate 1', () => {
    expect(outputAtRate(anchor, null, 2, 101.5)).toBeCloseTo(8, 12);
    expect(outputAtRate(anchor, null, 4, 100.25)).toBeCloseTo(6, 12);
    expect(outputAtRate(anchor, { startS: 4, endS: 6 }, 2, 101)).toBeCloseTo(5, 12); // 5 -> 7 wraps to 5
  });
  it('runs back in reverse and never below 0', () => {
    expect(outputAtRate(anchor, null, -1, 102)).toBeCloseTo(3, 12);
    expect(outputAtRate(anchor, null, -2, 102)).toBeCloseTo(1, 12);
    expect(outputAtRate(anchor, null, -4, 102)).toBe(0);
    expect(outputAtRate(anchor, null, -2, 99)).toBe(5);
  });
});

describe('Transport shuttle (silent, page clock)', () => {
  let transport: Transport;
  const endS = 10;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    transport = new Transport({ fetchPcm: () => Promise.reject(new Error('no audio')), createAudioContext: () => null });
    transport.setProgram({ clips: [], tracks: [], mediaDurations: new Map(), segments: [], endS });
  });
  afterEach(() => {
    transport.dispose();
    vi.useRealTimers();
  });

  it('plays in reverse at the chosen speed, and stops exactly at 0', () => {
    transport.seek(3);
    transport.shuttle(-2);
    expect(transport.getRate()).toBe(-2);
    vi.advanceTimersByTime(1000);
    expect(transport.getTimeS()).toBeCloseTo(1, 6);
    vi.advanceTimersByTime(600); // would be -0.2: stops at 0
    expect(transport.getTimeS()).toBe(0);
    vi.advanceTimersByTime(100);
    expect(transport.isPlaying()).toBe(false);
    expect(transport.getRate()).toBe(0);
    expect(transport.getTimeS()).toBe(0);
  });

  it('reverse from 0 does not start', () => {
    transport.shuttle(-1);
    expect(transport.isPlaying()).toBe(false);
  });

  it('fast forward never shows past the end and stops there', () => {
    transport.seek(8);
    transport.shuttle(4);
    vi.advanceTimersByTime(400);
    expect(transport.getTimeS()).toBeCloseTo(9.6, 6);
    vi.advanceTimersByTime(30); // 9.72
    vi.advanceTimersByTime(20); // 9.8 (a tick)
    expect(transport.getTimeS()).toBeLessThanOrEqual(endS);
    vi.advanceTimersByTime(60);
    expect(transport.getTimeS()).toBe(endS);
    vi.advanceTimersByTime(100);
    expect(transport.isPlaying()).toBe(false);
    expect(transport.getTimeS()).toBe(endS);
  });

  it('changes speed where the playhead is, and K (rate 0) stops there', () => {
    const changes = vi.fn();
    transport.on('change', changes);
    transport.seek(2);
    transport.shuttle(1);
    vi.advanceTimersByTime(1000);
    transport.shuttle(2);
    expect(transport.getTimeS()).toBeCloseTo(3, 6);
    vi.advanceTimersByTime(500);
    expect(transport.getTimeS()).toBeCloseTo(4, 6);
    transport.shuttle(-1);
    vi.advanceTimersByTime(1000);
    expect(transport.getTimeS()).toBeCloseTo(3, 6);
    transport.shuttle(0);
    expect(transport.isPlaying()).toBe(false);
    expect(transport.getTimeS()).toBeCloseTo(3, 6);
    // seek, play, 2x, -1x, stop: each announced once.
    expect(changes).toHaveBeenCalledTimes(5);
  });

  it('play() from a shuttle goes back to 1x, and the same rate again is no change', () => {
    transport.seek(1);
    transport.shuttle(4);
    transport.play();
    expect(transport.getRate()).toBe(1);
    const changes = vi.fn();
    transport.on('change', changes);
    transport.shuttle(1);
    expect(changes).not.toHaveBeenCalled();
  });

  it('fast forward from the end starts at 0, as play does', () => {
    transport.seek(endS);
    transport.shuttle(2);
    expect(transport.getTimeS()).toBe(0);
  });
});
