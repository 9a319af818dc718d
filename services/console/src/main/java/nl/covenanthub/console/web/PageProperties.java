package nl.covenanthub.console.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How people log in to the pages ({@code console.web.*}): the realm's {@code console-web} client,
 * at the Keycloak realm whose tokens the console accepts ({@code
 * spring.security.oauth2.resourceserver.jwt.issuer-uri}).
 *
 * @param clientSecret its secret ({@code CONSOLE_WEB_CLIENT_SECRET}); the default is the demo
 *     realm's, which no real Keycloak has
 */
@ConfigurationProperties("console.web")
public record PageProperties(
    @DefaultValue("console-web") String clientId,
    @DefaultValue(PageProperties.DEMO_SECRET) String clientSecret) {

  /** The secret of console-web in infra/keycloak/covenant-hub-realm.json: for local demos only. */
  static final String DEMO_SECRET = "demo-secret-console-web-NOT-FOR-PRODUCTION";

  boolean demoSecret() {
    return DEMO_SECRET.equals(clientSecret);
  }
}
