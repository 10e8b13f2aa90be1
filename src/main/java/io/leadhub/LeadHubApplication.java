package io.leadhub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Spring Boot entry point of the LeadHub integration hub. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class LeadHubApplication {

    /**
     * Starts the hub.
     *
     * @param args Spring Boot command-line arguments ({@code --key=value} overrides)
     */
    public static void main(String[] args) {
        SpringApplication.run(LeadHubApplication.class, args);
    }
}
