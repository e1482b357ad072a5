package torfs.app;

import java.io.IOException;
import java.nio.file.Path;
import torfs.metainfo.MetainfoException;
import torfs.metainfo.Torrent;
import torfs.session.PieceSource;

/**
 * How `torfs mount` gets its torrent and the running source behind the filesystem. The real one
 * parses the .torrent and starts a downloading session; tests plug in fakes. The factory in use
 * is {@link #current()}: the class named by the system property {@value #PROPERTY} (forwarded
 * to the background process), else the one set with {@link #install}, else the default.
 */
public interface SourceFactory {
    String PROPERTY = "torfs.sourceFactory";

    /** Parses SOURCE; bad input throws MetainfoException or UserError. */
    Torrent load(Path source) throws IOException, MetainfoException;

    /**
     * The torrent a mount serves: the .torrent's, or for a magnet its saved metadata or, when
     * there is none, the metadata fetched from the swarm (this may take up to the options'
     * metadata timeout).
     */
    default Torrent load(MountOptions options) throws IOException, MetainfoException {
        if (options.magnet() != null) {
            throw new UserError("this source factory cannot mount magnet links");
        }
        return load(options.source());
    }

    /** Starts the source for a mount; closing it stops the session and saves resume state. */
    PieceSource open(Torrent torrent, MountOptions options) throws IOException;

    /**
     * As {@link #open(Torrent, MountOptions)}, calling {@code listening} as soon as the source
     * can no longer fail for a reason the user must hear at once (the port is bound); what
     * remains, such as checking existing data, may then run while the mount is already in use.
     */
    default PieceSource open(Torrent torrent, MountOptions options, Runnable listening) throws IOException {
        PieceSource source = open(torrent, options);
        listening.run();
        return source;
    }

    /** Sets the factory used when no system property names one (the lead's integration hook). */
    static void install(SourceFactory factory) {
        SourceFactories.installed = factory;
    }

    static SourceFactory current() {
        String name = System.getProperty(PROPERTY);
        if (name != null && !name.isBlank()) {
            try {
                return (SourceFactory) Class.forName(name).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new IllegalStateException("cannot create source factory " + name, e);
            }
        }
        SourceFactory f = SourceFactories.installed;
        return f != null ? f : new SourceFactories.Default();
    }
}
