package nl.covenanthub.console.signals;

import nl.covenanthub.console.ConsoleTestBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Tests that call triage as the logged-in integral-safety officer {@code ivb} would (the view log
 * names the user), and read the signal tables.
 */
abstract class AsTheIntegralSafetyOfficer extends ConsoleTestBase {

  @BeforeEach
  void logInAsIvb() {
    SecurityContextHolder.getContext()
        .setAuthentication(
            new TestingAuthenticationToken("ivb", "n/a", "ROLE_integrale-veiligheid"));
  }

  @AfterEach
  void logOut() {
    SecurityContextHolder.clearContext();
  }

  /** The reference of the signal this receipt code belongs to. */
  String reference(String code) {
    return db.sql("SELECT reference FROM signal WHERE receipt_hash = ?")
        .param(ReceiptCodes.hash(code))
        .query(String.class)
        .single();
  }
}
