package dev.omem.http;

/**
 * A reply body that is JSON text already (UTF-8), written as it is: for answers a route renders
 * straight from their records rather than as a map for the servlet's mapper to write again.
 */
record JsonText(byte[] utf8) {}
