package torfs.app;

import java.util.Locale;

/** Byte counts on the command line: 123, 64K, 10M, 2G (binary units). */
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
}
