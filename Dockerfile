# Builds the hub from this repository and runs it (used by docker-compose.yml).
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -ntp -q dependency:go-offline
COPY src src
RUN ./mvnw -B -ntp -q -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/target/leadhub-*.jar /app/leadhub.jar
COPY routes /app/routes
COPY mappings /app/mappings
ENV LEADHUB_DATA_DIR=/var/lib/leadhub \
    LEADHUB_MAPPINGS_DIR=/app/mappings \
    LEADHUB_ROUTES_DIR=/app/routes
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/leadhub.jar"]
