package torfs.app;

import picocli.CommandLine;

/** Version string for --version and the peer id prefix. */
public final class Version implements CommandLine.IVersionProvider {
    public static final String VERSION = "0.1.0";

    @Override
    public String[] getVersion() {
        return new String[] {"torfs " + VERSION};
    }
}
