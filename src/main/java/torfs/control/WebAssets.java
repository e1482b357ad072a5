package torfs.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web page's files, served from the jar: plain HTML, JS and CSS written by hand, no build
 * step and nothing fetched from elsewhere. Only the names listed here are served.
 */
final class WebAssets {
    record Asset(String contentType, byte[] bytes) {
    }

    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/app.js", "app.js",
            "/style.css", "style.css");

    private WebAssets() {
    }

    static Asset get(String path) {
        String name = FILES.get(path);
        if (name == null) {
            return null;
        }
        try (InputStream in = WebAssets.class.getResourceAsStream("web/" + name)) {
            if (in == null) {
                return null;
            }
            return new Asset(type(name), in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String type(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        return "text/css; charset=utf-8";
    }
}
