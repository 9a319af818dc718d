package nl.covenanthub.console.report;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import nl.covenanthub.console.audit.Disclosure;
import org.springframework.context.MessageSource;

/**
 * An answer to a request under AVG art. 15 that the person it is about can read (art. 12: concise,
 * clear and plain language): per sender, recipient, purpose and legal ground one sentence, with the
 * days and the kinds of data in words. Texts and labels come from message bundles ({@code
 * messages_*.properties} and the labels beside the schemas), never from code.
 */
public record SubjectLetter(
    Locale locale,
    String title,
    String intro,
    String made,
    List<String> sentences,
    String withheld,
    String rights) {

  /** Dutch unless English is asked for. */
  public static final Locale DUTCH = Locale.forLanguageTag("nl");

  public static SubjectLetter of(
      SubjectReport report, MessageSource messages, Locale locale, ZoneId zone) {
    Words words = new Words(messages, locale);
    Map<List<String>, Set<LocalDate>> days = new LinkedHashMap<>();
    Map<List<String>, Set<String>> fields = new LinkedHashMap<>();
    // Oldest first, as a letter tells it.
    List<Disclosure> disclosed = new ArrayList<>(report.disclosed());
    Collections.reverse(disclosed);
    for (Disclosure d : disclosed) {
      List<String> key = List.of(d.sender(), d.recipient(), d.purpose(), d.legalBasis());
      days.computeIfAbsent(key, k -> new TreeSet<>()).add(d.decidedAt().atZone(zone).toLocalDate());
      Set<String> named = fields.computeIfAbsent(key, k -> new LinkedHashSet<>());
      d.disclosedFields().forEach(f -> words.field(f, false).ifPresent(named::add));
      d.transformedFields().forEach(f -> words.field(f, true).ifPresent(named::add));
    }
    List<String> sentences = new ArrayList<>();
    days.forEach(
        (key, on) ->
            sentences.add(
                capitalised(
                    words.message(
                        "letter.sentence",
                        words.label("party." + key.get(0), key.get(0)),
                        words.list(on.stream().map(words::date).toList()),
                        words.list(List.copyOf(fields.get(key))),
                        words.label("party." + key.get(1), key.get(1)),
                        words.label("purpose." + key.get(2), key.get(2)),
                        key.get(3)))));
    if (sentences.isEmpty()) {
      sentences.add(words.message("letter.nothing"));
    }
    return new SubjectLetter(
        locale,
        words.message("letter.title"),
        words.message("letter.intro"),
        words.message("letter.made", words.date(report.madeAt().atZone(zone).toLocalDate())),
        sentences,
        report.notDisclosed().isEmpty()
            ? null
            : words.message("letter.withheld", report.notDisclosed().size()),
        words.message("letter.rights"));
  }

  private static String capitalised(String sentence) {
    return sentence.isEmpty()
        ? sentence
        : Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
  }

  /** The bundles in one language. */
  private record Words(MessageSource messages, Locale locale) {
    String message(String key, Object... arguments) {
      return messages.getMessage(key, arguments, locale);
    }

    /** The label of {@code key}; the id itself when there is none (a partner added later). */
    String label(String key, String id) {
      return messages.getMessage(key, null, id, locale);
    }

    /** A field in words, or nothing for a technical field (an empty label). */
    Optional<String> field(String path, boolean transformed) {
      String label = messages.getMessage("field." + path, null, path, locale);
      if (label.isBlank()) {
        return Optional.empty();
      }
      return Optional.of(transformed ? message("letter.transformed", label) : label);
    }

    String date(LocalDate day) {
      return DateTimeFormatter.ofPattern("d MMMM yyyy", locale).format(day);
    }

    /** "a", "a en b", "a, b en c". */
    String list(List<String> items) {
      if (items.size() <= 1) {
        return String.join("", items);
      }
      return String.join(", ", items.subList(0, items.size() - 1))
          + " "
          + message("letter.and")
          + " "
          + items.get(items.size() - 1);
    }
  }
}
