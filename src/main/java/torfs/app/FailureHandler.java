package torfs.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import torfs.bencode.BencodeException;
import torfs.metainfo.MetainfoException;

/**
 * Prints a failure as {@code torfs: <what is wrong>} on one line; the stack trace only with
 * --debug. Bad input exits 2, everything else 1.
 */
final class FailureHandler implements CommandLine.IExecutionExceptionHandler {
    private final boolean debug;

    FailureHandler(boolean debug) {
        this.debug = debug;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        if (debug) {
            t.printStackTrace();
        }
        System.err.println("torfs: " + describe(t));
        return isBadInput(t) ? ExitCodes.BAD_INPUT : ExitCodes.FAILURE;
    }

    static int usageError(CommandLine.ParameterException ex, String[] args) {
        System.err.println("torfs: " + ex.getMessage());
        String sub = ex.getCommandLine().getCommandName().replace("torfs", "").trim();
        System.err.println("Try 'torfs " + (sub.isEmpty() ? "" : sub + " ") + "--help'.");
        return ExitCodes.BAD_INPUT;
    }

    static boolean isBadInput(Throwable t) {
        return t instanceof UserError || t instanceof MetainfoException || t instanceof BencodeException
                || t instanceof NoSuchFileException || t instanceof AccessDeniedException;
    }

    static String describe(Throwable t) {
        if (t instanceof OutOfMemoryError) {
            return OutOfMemory.describe();
        }
        if (t instanceof NoSuchFileException e) {
            return e.getFile() + ": no such file or directory";
        }
        if (t instanceof AccessDeniedException e) {
            return e.getFile() + ": permission denied";
        }
        if (t instanceof IOException && t.getMessage() == null) {
            return t.getClass().getSimpleName();
        }
        String msg = t.getMessage();
        if (msg == null) {
            return "internal error (" + t.getClass().getSimpleName() + "); rerun with --debug";
        }
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }
}
