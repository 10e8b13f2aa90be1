package io.leadhub;

import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A private in-memory H2 database with LeadHub's Flyway migrations ({@code classpath:db/migration}) applied, for
 * unit tests of beans that need the hub's tables. No Spring context. Close it after the test to free the memory.
 */
public final class TestDatabase implements AutoCloseable {

    private final JdbcTemplate jdbc;

    private TestDatabase(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @return a new, empty, migrated database with a unique name */
    public static TestDatabase create() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:unit-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        dataSource.setPassword("");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return new TestDatabase(new JdbcTemplate(dataSource));
    }

    /** @return a JdbcTemplate on this database */
    public JdbcTemplate jdbc() {
        return jdbc;
    }

    /** Drops the database. */
    @Override
    public void close() {
        jdbc.execute("SHUTDOWN");
    }
}
