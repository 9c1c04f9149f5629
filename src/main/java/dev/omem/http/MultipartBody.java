package dev.omem.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.omem.domain.OmemException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.io.Content;

/**
 * A {@code multipart/form-data} body (ourmem's {@code POST /v1/imports}) as the JSON object the
 * routes read: each form field a string member; the {@code file} part's text as {@code content} and
 * its name as {@code file_name}. Parsed by Jetty's own multipart parser from the bytes the servlet
 * already read within the body limit.
 */
final class MultipartBody {
  private static final Pattern NAME = Pattern.compile("(?i)(?:^|;)\\s*name=\"([^\"]*)\"");
  private static final Pattern FILE_NAME = Pattern.compile("(?i)(?:^|;)\\s*filename=\"([^\"]*)\"");

  private MultipartBody() {}

  static boolean is(String contentType) {
    return contentType != null
        && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data");
  }

  static ObjectNode parse(byte[] body, String contentType, ObjectMapper json) {
    String boundary = MultiPart.extractBoundary(contentType);
    if (boundary == null || boundary.isEmpty()) {
      throw OmemException.invalid("a multipart/form-data body needs a boundary");
    }
    ObjectNode out = json.createObjectNode();
    Listener l = new Listener(out);
    MultiPart.Parser parser = new MultiPart.Parser(boundary, l);
    parser.parse(Content.Chunk.from(ByteBuffer.wrap(body), true));
    if (l.failure != null) {
      throw OmemException.invalid("the multipart body is malformed: " + l.failure.getMessage());
    }
    if (!l.complete) {
      throw OmemException.invalid("the multipart body is malformed: it has no closing boundary");
    }
    return out;
  }

  private static final class Listener implements MultiPart.Parser.Listener {
    private final ObjectNode out;
    private String disposition;
    private ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean complete;
    Throwable failure;

    Listener(ObjectNode out) {
      this.out = out;
    }

    @Override
    public void onPartBegin() {
      disposition = null;
      bytes = new ByteArrayOutputStream();
    }

    @Override
    public void onPartHeader(String name, String value) {
      if (name.equalsIgnoreCase("Content-Disposition")) {
        disposition = value;
      }
    }

    @Override
    public void onPartContent(Content.Chunk chunk) {
      ByteBuffer b = chunk.getByteBuffer().slice();
      byte[] copy = new byte[b.remaining()];
      b.get(copy);
      bytes.writeBytes(copy);
    }

    @Override
    public void onPartEnd() {
      if (disposition == null) {
        return;
      }
      String name = group(NAME, disposition);
      if (name == null) {
        return;
      }
      String text = bytes.toString(StandardCharsets.UTF_8);
      if (name.equals("file")) {
        out.put("content", text);
        String fileName = group(FILE_NAME, disposition);
        if (fileName != null && !out.has("file_name")) {
          out.put("file_name", fileName);
        }
      } else {
        out.put(name, text);
      }
    }

    @Override
    public void onComplete() {
      complete = true;
    }

    @Override
    public void onFailure(Throwable t) {
      failure = t;
    }

    private static String group(Pattern p, String s) {
      Matcher m = p.matcher(s);
      return m.find() ? m.group(1) : null;
    }
  }
}
