package io.leadhub.config;

import javax.sql.DataSource;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The idempotent consumer stores of the pipeline, Camel's {@link JdbcMessageIdRepository} over the hub's
 * database (table {@code camel_messageprocessed}, created by Flyway, never by Camel).
 */
@Configuration(proxyBeanMethods = false)
public class IdempotentRepositories {

    /**
     * Keys {@code tenant|source|provider event id} of events already enriched ({@code lead-enrich}).
     *
     * @param dataSource the hub's database
     * @return the repository, processor name {@code lead-enrich}
     */
    @Bean
    public JdbcMessageIdRepository processedEventRepository(DataSource dataSource) {
        return repository(dataSource, "lead-enrich");
    }

    /**
     * Keys {@code tenant|destination|event id} of events already delivered ({@code crm-dispatch-*}).
     *
     * @param dataSource the hub's database
     * @return the repository, processor name {@code crm-dispatch}
     */
    @Bean
    public JdbcMessageIdRepository deliveredEventRepository(DataSource dataSource) {
        return repository(dataSource, "crm-dispatch");
    }

    private static JdbcMessageIdRepository repository(DataSource dataSource, String processorName) {
        JdbcMessageIdRepository repository = new JdbcMessageIdRepository(dataSource, processorName);
        repository.setCreateTableIfNotExists(false);
        return repository;
    }
}
