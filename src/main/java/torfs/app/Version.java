package torfs.app;

import picocli.CommandLine;

/** Version string for --version and the name we give peers (ClientSettings.clientName). */
public final class Version implements CommandLine.IVersionProvider {
    public static final String VERSION = "0.1.0";

    @Override
    public String[] getVersion() {
        return new String[] {"torfs " + VERSION};
    }
}
