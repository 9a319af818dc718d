package nl.covenanthub.console.web;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import nl.covenanthub.console.report.SubjectLetter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

/**
 * The pages speak Dutch unless the user asks for English: {@code ?language=en} (the link in the
 * page header) switches, and a cookie keeps the choice. Not the browser's Accept-Language: the
 * console is a Dutch authority's tool, and a page must read the same for every officer. Any other
 * value is ignored, so a link cannot make a page in a language the bundles do not have.
 */
@Configuration(proxyBeanMethods = false)
class PageLanguage implements WebMvcConfigurer {
  static final String PARAMETER = "language";
  static final List<Locale> LANGUAGES = List.of(SubjectLetter.DUTCH, Locale.ENGLISH);

  /** The bean name Spring's DispatcherServlet looks for. */
  @Bean
  LocaleResolver localeResolver() {
    CookieLocaleResolver resolver = new CookieLocaleResolver("console-language");
    resolver.setDefaultLocale(SubjectLetter.DUTCH);
    resolver.setCookieMaxAge(Duration.ofDays(365));
    resolver.setCookieHttpOnly(true);
    resolver.setCookieSameSite("Lax");
    resolver.setCookiePath("/");
    return resolver;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    LocaleChangeInterceptor change =
        new LocaleChangeInterceptor() {
          @Override
          protected Locale parseLocaleValue(String value) {
            Locale asked = super.parseLocaleValue(value);
            if (!LANGUAGES.contains(asked)) {
              // Ignored (setIgnoreInvalidLocale): the page stays in the language it was in.
              throw new IllegalArgumentException("not a language of the console");
            }
            return asked;
          }
        };
    change.setParamName(PARAMETER);
    change.setIgnoreInvalidLocale(true);
    registry.addInterceptor(change).addPathPatterns("/console/**");
  }
}
