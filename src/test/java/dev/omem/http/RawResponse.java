package dev.omem.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** An HTTP/1.1 exchange as raw bytes on a socket, for requests no HTTP client would send. */
record RawResponse(int status, String contentType, String body, String head) {
  static RawResponse send(int port, String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      try {
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      } catch (IOException e) {
        // the server may answer and close before it read everything (a header too large)
      }
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      try {
        in.transferTo(all);
      } catch (IOException e) {
        // a reset after the answer
      }
      String text = all.toString(StandardCharsets.UTF_8);
      int split = text.indexOf("\r\n\r\n");
      String head = split < 0 ? text : text.substring(0, split);
      String body = split < 0 ? "" : text.substring(split + 4);
      int status = head.length() >= 12 ? Integer.parseInt(head.substring(9, 12)) : -1;
      String type = "";
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
          type = line.substring(13).trim();
        }
      }
      if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
        body = unchunk(body);
      }
      return new RawResponse(status, type, body, head);
    }
  }

  private static String unchunk(String body) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < body.length()) {
      int eol = body.indexOf("\r\n", i);
      if (eol < 0) {
        break;
      }
      int n = Integer.parseInt(body.substring(i, eol).trim(), 16);
      if (n == 0) {
        break;
      }
      out.append(body, eol + 2, eol + 2 + n);
      i = eol + 2 + n + 2;
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return head + "\n\n" + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
  }
}
