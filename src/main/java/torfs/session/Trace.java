package torfs.session;

/** TEMPORARY timeline trace for tuning (-Dtorfs.trace=true). */
public final class Trace {
    public static final boolean ON = Boolean.getBoolean("torfs.trace");
    private static final long T0 = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();

    public static void t(String what) {
        if (ON) {
            System.err.printf("TRACE %6d %s%n", System.currentTimeMillis() - T0, what);
        }
    }
}
