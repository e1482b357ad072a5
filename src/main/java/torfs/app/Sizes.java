package torfs.app;

import java.util.Locale;

/** Byte counts on the command line: 123, 64K, 10M, 2G (binary units), read and shown. */
final class Sizes {
    private Sizes() {
    }

    static long parse(String option, String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        if (s.endsWith("IB")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("B") && s.length() > 1 && !Character.isDigit(s.charAt(s.length() - 2))) {
            s = s.substring(0, s.length() - 1);
        }
        int shift = 0;
        if (!s.isEmpty()) {
            char unit = s.charAt(s.length() - 1);
            shift = unit == 'K' ? 10 : unit == 'M' ? 20 : unit == 'G' ? 30 : unit == 'T' ? 40 : 0;
            if (shift > 0) {
                s = s.substring(0, s.length() - 1);
            }
        }
        try {
            long v = Long.parseLong(s);
            if (v < 0 || v > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return v << shift;
        } catch (NumberFormatException e) {
            throw new UserError(option + ": not a size: " + text);
        }
    }

    /** picocli converter for byte-count options, so every command takes 10M as mount does. */
    static final class Converter implements picocli.CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return parse("size", value);
            } catch (UserError e) {
                throw new picocli.CommandLine.TypeConversionException("not a size: " + value);
            }
        }
    }

    /** {@code 1023 B}, {@code 1.5 KiB}, {@code 6.0 GiB}: one decimal, binary units, any locale. */
    static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
