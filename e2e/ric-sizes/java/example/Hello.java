// The Java function of e2e/ric-sizes.e2e.ts. java() copies the code directory as it is onto the
// classpath (/function), so the test compiles this file into classes first (javac of the build
// image stand-in). A plain class: the RIC finds the method by name (example.Hello::handleRequest)
// and its serialization library turns the event into the Map and the Map into the answer.
package example;

import java.util.LinkedHashMap;
import java.util.Map;

public class Hello {
  public Map<String, Object> handleRequest(Map<String, Object> event) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("greeting", "Hello, " + event.get("name") + "!");
    answer.put("runtime", "java " + System.getProperty("java.version"));
    return answer;
  }
}
