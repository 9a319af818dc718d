package nl.covenanthub.events;

import static org.assertj.core.api.Assertions.assertThat;

import nl.covenanthub.audit.AuditDecision;
import nl.covenanthub.audit.AuditHash;
import nl.covenanthub.audit.AuditRecord;
import nl.covenanthub.audit.ChainHead;
import org.apache.avro.util.ClassSecurityValidator;
import org.junit.jupiter.api.Test;

/** What {@link GeneratedClasses} trusts: the generated records and enums, nothing hand-written. */
class GeneratedClassesTest {

  @Test
  void theGeneratedRecordsAndEnumsOfBothPackagesAreTrusted() {
    for (Class<?> generated :
        new Class<?>[] {
          CaseSignal.class,
          CaseStatusChange.class,
          CaseReference.class,
          Subject.class,
          Address.class,
          Company.class,
          Contact.class,
          Concern.class,
          RiskLevel.class,
          CaseStatus.class,
          AuditRecord.class,
          AuditDecision.class,
          ChainHead.class
        }) {
      assertThat(GeneratedClasses.isGenerated(generated)).as("%s", generated.getName()).isTrue();
    }
  }

  @Test
  void handWrittenClassesBesideThemAndOthersAreNot() {
    for (Class<?> other :
        new Class<?>[] {
          GeneratedClasses.class,
          SingleObjectDecoder.class,
          SingleObjectDecoder.Problem.class,
          InboxViews.class,
          AuditHash.class,
          CaseSignal.Builder.class,
          String.class,
          org.apache.avro.generic.GenericData.Record.class
        }) {
      assertThat(GeneratedClasses.isGenerated(other)).as("%s", other.getName()).isFalse();
    }
  }

  @Test
  void trustingAgainKeepsOneValidatorAndWhatItTrustedBefore() {
    GeneratedClasses.trust();
    ClassSecurityValidator.ClassSecurityPredicate once = ClassSecurityValidator.getGlobal();
    GeneratedClasses.trust();
    assertThat(ClassSecurityValidator.getGlobal()).as("idempotent").isSameAs(once);
    assertThat(once.isTrusted(String.class)).as("Avro's own defaults still hold").isTrue();
    assertThat(once.isTrusted(CaseSignal.class)).isTrue();
  }
}
