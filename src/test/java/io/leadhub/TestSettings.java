package io.leadhub;

import io.leadhub.config.LeadHubProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/**
 * {@link LeadHubProperties} for unit tests, bound and validated the way Spring Boot does at startup: the
 * {@code leadhub.*} defaults of {@code application.yaml}, overridden by the given keys. No Spring context.
 */
public final class TestSettings {

    private static final jakarta.validation.Validator VALIDATOR =
            jakarta.validation.Validation.buildDefaultValidatorFactory().getValidator();

    private TestSettings() {
    }

    /** @return the settings of {@code application.yaml} */
    public static LeadHubProperties defaults() {
        return with(Map.of());
    }

    /**
     * @param overrides keys in kebab-case ({@code leadhub.retry.max-delay-ms}) and their values
     * @return the settings of {@code application.yaml} with the overrides applied
     * @throws org.springframework.boot.context.properties.bind.BindException when a value cannot be bound or fails
     *                                                                        validation
     */
    public static LeadHubProperties with(Map<String, String> overrides) {
        return binder(overrides).bind("leadhub", Bindable.of(LeadHubProperties.class), validating()).get();
    }

    /**
     * @param overrides keys and values that take precedence over application.yaml
     * @return a binder over the overrides and application.yaml
     */
    public static Binder binder(Map<String, String> overrides) {
        List<PropertySource<?>> sources = new ArrayList<>();
        sources.add(new MapPropertySource("overrides", new LinkedHashMap<>(overrides)));
        try {
            sources.addAll(new YamlPropertySourceLoader().load("application.yaml", new ClassPathResource("application.yaml")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Binder(ConfigurationPropertySources.from(sources));
    }

    /** @return a bind handler that validates with Jakarta Bean Validation, like {@code @Validated} properties */
    public static BindHandler validating() {
        return new ValidationBindHandler(new SpringValidatorAdapter(VALIDATOR));
    }
}
