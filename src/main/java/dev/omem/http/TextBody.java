package dev.omem.http;

/** A reply body written as it is, not as JSON (an export: Markdown, or JSON already written). */
record TextBody(String contentType, String text) {}
