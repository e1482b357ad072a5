package torfs.control;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API's routes over a {@link Library}, free of HTTP plumbing so tests call it directly:
 * <pre>
 * GET    /api/torrents                      list: {"torrents": [summary...]}
 * GET    /api/status                        status: {"torrents": [detail...], "dht": node}
 * GET    /api/torrents/ID                   one torrent's detail
 * POST   /api/torrents  {"filename": S}     add a path, magnet or URL of a .torrent (Transmission's
 *                       {"metainfo": B64}    torrent-add: filename or base64 metainfo, and
 *                       "paused": true       to add it paused)
 * DELETE /api/torrents/ID[?deleteData=true] remove
 * POST   /api/torrent-stop  {"ids": [ID...] | "all"}  pause (Transmission's torrent-stop,
 * POST   /api/torrent-start {"ids": [ID...] | "all"}  resume  qBittorrent's pause/resume)
 *                                           both answer {"torrents": [summary...]} of those named
 * GET    /api/session                       port, limits, number of torrents, the DHT node
 * POST   /api/session {"uploadLimit": N, "downloadLimit": N}   limits in bytes/s (0: none)
 * </pre>
 * Answers are JSON; a refusal is {@code {"error": "..."}} with its status.
 */
public final class ControlApi {
    static final String PREFIX = "/api/torrents";
    private final Library library;

    public ControlApi(Library library) {
        this.library = library;
    }

    /** An answer: HTTP status and JSON body. */
    public record Response(int status, String json) {
    }

    public Response handle(String method, String uri, String body) {
        try {
            return route(method, uri, body);
        } catch (ControlException e) {
            return error(e.status(), e.getMessage());
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        }
    }

    private Response route(String method, String uri, String body) throws ControlException {
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        Map<String, String> query = query(q < 0 ? "" : uri.substring(q + 1));
        if (path.equals("/api/status") && method.equals("GET")) {
            List<Object> all = new ArrayList<>();
            for (TorrentView t : library.list()) {
                all.add(StatusJson.detail(t));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("torrents", all);
            m.put("dht", dht(library.session()));
            return ok(m);
        }
        if (path.equals("/api/torrent-stop") || path.equals("/api/torrent-start")) {
            if (!method.equals("POST")) {
                return error(405, method + " " + path + " is not allowed");
            }
            return ok(Map.of("torrents", summaries(library.setPaused(ids(body), path.endsWith("stop")))));
        }
        if (path.equals("/api/session")) {
            return switch (method) {
                case "GET" -> ok(session(library.session()));
                case "POST" -> {
                    Map<?, ?> req = object(body);
                    yield ok(session(library.setLimits(limit(req, "uploadLimit"), limit(req, "downloadLimit"))));
                }
                default -> error(405, method + " " + path + " is not allowed");
            };
        }
        if (path.equals(PREFIX) || path.equals(PREFIX + "/")) {
            return switch (method) {
                case "GET" -> ok(Map.of("torrents", summaries(library.list())));
                case "POST" -> add(body);
                default -> error(405, method + " " + path + " is not allowed");
            };
        }
        if (path.startsWith(PREFIX + "/")) {
            String id = URLDecoder.decode(path.substring(PREFIX.length() + 1), StandardCharsets.UTF_8);
            return switch (method) {
                case "GET" -> {
                    TorrentView t = library.find(id);
                    yield t == null ? notFound(id) : ok(StatusJson.detail(t));
                }
                case "DELETE" -> {
                    TorrentView t = library.remove(id, Boolean.parseBoolean(query.getOrDefault("deleteData", "false")));
                    yield t == null ? notFound(id) : ok(Map.of("removed", StatusJson.summary(t)));
                }
                default -> error(405, method + " " + path + " is not allowed");
            };
        }
        return error(404, "no such resource: " + path);
    }

    /** A request's body: a JSON object (an empty body is an empty one). */
    private static Map<?, ?> object(String body) throws ControlException {
        if (Json.parse(body == null || body.isBlank() ? "{}" : body) instanceof Map<?, ?> req) {
            return req;
        }
        throw new ControlException(400, "the body must be a JSON object");
    }

    private static List<Object> summaries(List<TorrentView> torrents) {
        List<Object> all = new ArrayList<>();
        for (TorrentView t : torrents) {
            all.add(StatusJson.summary(t));
        }
        return all;
    }

    /** The {@code ids} of a stop or start: a list of names or info-hashes, or "all" (null). */
    private static List<String> ids(String body) throws ControlException {
        Map<?, ?> req = object(body);
        Object ids = req.get("ids");
        if ("all".equals(ids)) {
            return null;
        }
        if (ids instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(String.class::isInstance)) {
            return l.stream().map(String.class::cast).toList();
        }
        throw new ControlException(400, "give \"ids\": a list of names or info-hashes, or \"all\"");
    }

    private Response add(String body) throws ControlException {
        Map<?, ?> req = object(body);
        Object pausedField = req.get("paused");
        if (pausedField != null && !(pausedField instanceof Boolean)) {
            throw new ControlException(400, "paused must be true or false");
        }
        boolean paused = Boolean.TRUE.equals(pausedField);
        TorrentView t;
        if (req.get("filename") instanceof String s && !s.isBlank()) {
            t = library.add(s.trim(), paused);
        } else if (req.get("metainfo") instanceof String b64) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(b64.replaceAll("\\s+", ""));
            } catch (IllegalArgumentException e) {
                throw new ControlException(400, "metainfo is not base64");
            }
            t = library.addMetainfo(bytes, paused);
        } else {
            throw new ControlException(400, "give \"filename\" (a path, magnet or URL) or \"metainfo\" (base64)");
        }
        return ok(Map.of("torrentAdded", StatusJson.summary(t)));
    }

    private static Long limit(Map<?, ?> req, String name) throws ControlException {
        Object v = req.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Long n) || n < 0) {
            throw new ControlException(400, name + " must be a whole number of bytes/s, 0 for none");
        }
        return n;
    }

    static Map<String, Object> session(SessionView s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("port", s.port());
        m.put("uploadLimit", s.uploadLimit());
        m.put("downloadLimit", s.downloadLimit());
        m.put("torrentCount", s.torrentCount());
        m.put("dht", dht(s));
        m.put("pid", s.pid());
        return m;
    }

    /** The process's DHT node: {"enabled", "state", "nodes"}. */
    static Map<String, Object> dht(SessionView s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", !"off".equals(s.dhtState()));
        m.put("state", s.dhtState());
        m.put("nodes", s.dhtNodes());
        return m;
    }

    private static Map<String, String> query(String q) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : q.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "true" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            m.put(k, v);
        }
        return m;
    }

    private static Response ok(Object value) {
        return new Response(200, Json.write(value));
    }

    private static Response notFound(String id) {
        return error(404, "no torrent " + id);
    }

    static Response error(int status, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        return new Response(status, Json.write(m));
    }
}
