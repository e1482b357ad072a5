package torfs.app;

/**
 * JSON for command output (`info --json`): the control API's writer ({@link torfs.control.Json}),
 * so the CLI and the API escape alike.
 */
final class Json {
    private Json() {
    }

    static String write(Object value) {
        return torfs.control.Json.write(value);
    }
}
