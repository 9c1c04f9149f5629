package dev.omem.http;

import java.io.Writer;
import java.util.function.Consumer;

/**
 * A reply body written to the response as it is made (an export), not held whole: the servlet hands
 * {@code write} the response's UTF-8 writer after the route returned, outside the route's time
 * limit, since a long file that keeps coming is not a stuck request.
 */
record StreamBody(String contentType, Consumer<Writer> write) {}
