package nl.covenanthub.console;

import java.util.List;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;

/** Reads CSV text back as rows of cells (the header row first), to check what the console wrote. */
public final class CsvRows {
  private static final CsvMapper CSV =
      CsvMapper.builder().enable(CsvReadFeature.WRAP_AS_ARRAY).build();

  private CsvRows() {}

  public static List<List<String>> of(String text) {
    return CSV.readerFor(String[].class).<String[]>readValues(text).readAll().stream()
        .map(List::of)
        .toList();
  }
}
