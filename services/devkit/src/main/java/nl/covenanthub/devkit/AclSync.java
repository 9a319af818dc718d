package nl.covenanthub.devkit;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;

/** Makes a broker's ACLs exactly a given set, through an admin client of its super user. */
final class AclSync {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private AclSync() {}

  /**
   * Creates the missing ACLs, deletes the others, and returns once the broker describes exactly
   * {@code acls}.
   */
  static void apply(Admin admin, Collection<AclBinding> acls) {
    Set<AclBinding> wanted = new LinkedHashSet<>(acls);
    try {
      Set<AclBinding> present = describe(admin);
      List<AclBindingFilter> stale =
          present.stream().filter(acl -> !wanted.contains(acl)).map(AclBinding::toFilter).toList();
      if (!stale.isEmpty()) {
        admin.deleteAcls(stale).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
      List<AclBinding> missing = wanted.stream().filter(acl -> !present.contains(acl)).toList();
      if (!missing.isEmpty()) {
        admin.createAcls(missing).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!describe(admin).equals(wanted)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the broker did not take the ACLs within " + TIMEOUT.toSeconds() + " s");
        }
        Await.sleep(Duration.ofMillis(100));
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("applying ACLs failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while applying ACLs", e);
    }
  }

  /** Sets each user's quotas to exactly these values. */
  static void applyQuotas(Admin admin, List<AclFile.ClientQuota> quotas) {
    List<ClientQuotaAlteration> alterations = new java.util.ArrayList<>();
    for (AclFile.ClientQuota quota : quotas) {
      ClientQuotaEntity entity =
          new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, quota.user()));
      List<ClientQuotaAlteration.Op> ops =
          quota.values().entrySet().stream()
              .map(e -> new ClientQuotaAlteration.Op(e.getKey(), e.getValue()))
              .toList();
      alterations.add(new ClientQuotaAlteration(entity, ops));
    }
    try {
      admin.alterClientQuotas(alterations).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!describesQuotas(admin, quotas)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the broker did not take the quotas within " + TIMEOUT.toSeconds() + " s");
        }
        Await.sleep(Duration.ofMillis(100));
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("setting client quotas failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while setting client quotas", e);
    }
  }

  private static boolean describesQuotas(Admin admin, List<AclFile.ClientQuota> quotas)
      throws ExecutionException, TimeoutException, InterruptedException {
    Map<ClientQuotaEntity, Map<String, Double>> present =
        admin
            .describeClientQuotas(ClientQuotaFilter.all())
            .entities()
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    return quotas.stream()
        .allMatch(
            q ->
                q.values()
                    .equals(
                        present.get(
                            new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, q.user())))));
  }

  private static Set<AclBinding> describe(Admin admin)
      throws ExecutionException, TimeoutException, InterruptedException {
    return new HashSet<>(
        admin
            .describeAcls(AclBindingFilter.ANY)
            .values()
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
  }
}
