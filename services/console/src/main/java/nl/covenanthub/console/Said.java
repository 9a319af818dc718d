package nl.covenanthub.console;

import org.springframework.context.support.DefaultMessageSourceResolvable;

/**
 * Something the console tells a person, said in English where it is made (for the API and the logs)
 * and, on a page, in the page's language from the bundles' {@code code} with the same arguments.
 * The English is never run through MessageFormat again: it is already the text.
 */
public final class Said extends DefaultMessageSourceResolvable {
  private static final long serialVersionUID = 1L;

  /** {@code code} null: English only. */
  public Said(String code, String english, Object... arguments) {
    super(code == null ? null : new String[] {code}, arguments.clone(), english);
  }

  @Override
  public boolean shouldRenderDefaultMessage() {
    return false;
  }

  @Override
  public String toString() {
    return getDefaultMessage();
  }
}
