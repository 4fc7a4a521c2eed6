package dev.headroom.sink.relief;

import dev.headroom.analysis.Level;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When relief acts: near the kill, once per episode, never sooner than repeat. */
class EpisodeTest {

    @Test
    void theKillIsNearAtCriticalOrAWarningWithTheLimitWithinSeconds() {
        assertTrue(Episode.imminent(Level.CRITICAL, Double.NaN));
        assertTrue(Episode.imminent(Level.WARNING, 5));
        assertTrue(Episode.imminent(Level.WARNING, 0.4));
        assertFalse(Episode.imminent(Level.WARNING, 5.1), "a warning with time left is only a warning");
        assertFalse(Episode.imminent(Level.WARNING, Double.NaN), "no trend: not near");
        assertFalse(Episode.imminent(Level.OK, 1));
        assertFalse(Episode.imminent(Level.UNKNOWN, 1));
    }

    @Test
    void onceAnEpisodeHowLongItLasts() {
        Episode e = new Episode(30_000);
        assertFalse(e.due(Level.WARNING, 30, 0));
        assertTrue(e.due(Level.CRITICAL, 1, 1000));
        e.acted(1000);
        for (long t = 2000; t < 600_000; t += 1000) {
            assertFalse(e.ended(Level.CRITICAL));
            assertFalse(e.due(Level.CRITICAL, 0.5, t), "once per episode, at " + t);
        }
    }

    @Test
    void anEpisodeEndsAtOkAndTheNextMayActAfterRepeat() {
        Episode e = new Episode(30_000);
        e.acted(1000);
        assertFalse(e.ended(Level.WARNING), "WARNING does not end it");
        assertTrue(e.ended(Level.OK), "OK ends the episode in which relief acted");
        assertFalse(e.ended(Level.OK), "and says so once");
        assertFalse(e.due(Level.CRITICAL, 0, 20_000), "a new episode, but within repeat of the last action");
        assertTrue(e.due(Level.CRITICAL, 0, 31_000));
    }

    @Test
    void anEpisodeWithoutActionEndsSilently() {
        Episode e = new Episode(1000);
        assertFalse(e.ended(Level.OK));
        assertTrue(e.due(Level.CRITICAL, 0, 0), "never acted: due at once");
    }
}
