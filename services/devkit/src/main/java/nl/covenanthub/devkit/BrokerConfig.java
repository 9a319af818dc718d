package nl.covenanthub.devkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files a local broker runs with, written into its work directory: {@code server.properties}
 * from the template ({@code infra/kafka/server.properties}, placeholders {@code ${name}}) and a
 * logging configuration for whichever SLF4J backend its class path holds.
 */
final class BrokerConfig {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z.]+)}");

  private BrokerConfig() {}

  /**
   * Writes {@code server.properties} and the logging configurations; returns the path of the
   * former.
   */
  static Path write(Path workDir, Path template, Map<String, String> values) throws IOException {
    Path config = workDir.resolve("server.properties");
    String text = Files.readString(template, StandardCharsets.UTF_8);
    Files.writeString(config, render(text, values, template), StandardCharsets.UTF_8);
    Files.writeString(logbackConfig(workDir), LOGBACK);
    Files.writeString(log4jConfig(workDir), LOG4J);
    return config;
  }

  static Path logbackConfig(Path workDir) {
    return workDir.resolve("logback.xml");
  }

  static Path log4jConfig(Path workDir) {
    return workDir.resolve("log4j2.properties");
  }

  /**
   * The template with every placeholder replaced; an unknown placeholder is an error naming the
   * template.
   */
  static String render(String template, Map<String, String> values, Path source) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException(source + ": unknown placeholder ${" + m.group(1) + "}");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  // The broker logs INFO to its standard output (its log file); the per-request log only when it
  // warns.
  private static final String LOGBACK =
      """
      <configuration>
        <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
          <encoder><pattern>[%d] %-5level %msg \\(%logger\\)%n</pattern></encoder>
        </appender>
        <logger name="kafka.request.logger" level="WARN"/>
        <root level="INFO"><appender-ref ref="out"/></root>
      </configuration>
      """;

  private static final String LOG4J =
      """
      status = warn
      appender.out.type = Console
      appender.out.name = out
      appender.out.layout.type = PatternLayout
      appender.out.layout.pattern = [%d] %p %m (%c)%n
      rootLogger.level = info
      rootLogger.appenderRef.out.ref = out
      logger.request.name = kafka.request.logger
      logger.request.level = warn
      """;
}
