package dev.headroom.analysis;

/** The analysis settings, in plain numbers (the agent's Config maps onto this). */
public final class Thresholds {

    public final double warn;
    public final double critical;
    public final double hysteresis;
    public final long horizonNanos;
    public final long windowNanos;
    /** PSI some avg10, in hundredths of a percent, that raises WARNING. */
    public final long pressureSome;
    /** PSI full avg10, in hundredths of a percent, that raises CRITICAL. */
    public final long pressureFull;

    public Thresholds(double warn, double critical, double hysteresis, long horizonMillis, long windowMillis,
                      double pressureSomePercent, double pressureFullPercent) {
        this.warn = warn;
        this.critical = critical;
        this.hysteresis = hysteresis;
        this.horizonNanos = horizonMillis * 1_000_000L;
        this.windowNanos = windowMillis * 1_000_000L;
        this.pressureSome = Math.round(pressureSomePercent * 100);
        this.pressureFull = Math.round(pressureFullPercent * 100);
    }

    public static Thresholds defaults() {
        return new Thresholds(0.85, 0.95, 0.05, 60_000, 30_000, 10, 5);
    }
}
