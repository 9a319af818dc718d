package nl.covenanthub.console.signals;

import java.time.Duration;
import java.time.Period;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The settings of the 'niet-pluis' intake and triage ({@code console.signals.*},
 * docs/niet-pluis.md).
 *
 * @param maxFieldLength the longest a short field of the form may be (characters)
 * @param maxDescriptionLength the longest the description (or an addition) may be
 * @param maxReportLength the longest a whole report may be, all fields together
 * @param reportsPerSession how many reports and additions one browser session may send per {@code
 *     period}
 * @param reportsOverall how many reports and additions everyone together may send per {@code
 *     period}
 * @param period the period of both rate limits
 * @param dismissedKeptFor how long a dismissed signal is kept before it is removed
 * @param removalCron when the removal of dismissed signals runs (Spring cron)
 * @param demo whether to seed a few fictional signals into an empty werkbestand
 * @param contactName the municipality's contact that partners see on a case-table signal
 * @param contactOrganisation that contact's organisation
 * @param contactEmail that contact's address
 */
@ConfigurationProperties("console.signals")
public record SignalSettings(
    @DefaultValue("200") int maxFieldLength,
    @DefaultValue("4000") int maxDescriptionLength,
    @DefaultValue("5000") int maxReportLength,
    @DefaultValue("3") int reportsPerSession,
    @DefaultValue("60") int reportsOverall,
    @DefaultValue("PT1H") Duration period,
    @DefaultValue("P3M") Period dismissedKeptFor,
    @DefaultValue("0 15 3 * * *") String removalCron,
    @DefaultValue("false") boolean demo,
    @DefaultValue("team Integrale Veiligheid") String contactName,
    @DefaultValue("Gemeente West Maas en Waal") String contactOrganisation,
    @DefaultValue("integrale.veiligheid@example.org") String contactEmail) {}
