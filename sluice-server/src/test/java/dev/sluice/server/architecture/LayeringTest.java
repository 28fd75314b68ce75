package dev.sluice.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Who may import whom (ARCHITECTURE.md): a layering mistake fails the build. */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.sluice");
    }

    @Test
    void commonDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("dev.sluice.common..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.sluice.sql..", "dev.sluice.storage..", "dev.sluice.kafka..",
                        "dev.sluice.pgwire..", "dev.sluice.registry..", "dev.sluice.server..")
                .check(classes);
    }

    @Test
    void registryDependsOnlyOnCommon() {
        noClasses().that().resideInAPackage("dev.sluice.registry..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.sluice.sql..", "dev.sluice.storage..", "dev.sluice.kafka..",
                        "dev.sluice.pgwire..", "dev.sluice.server..", "dev.sluice.testing..")
                .check(classes);
    }

    @Test
    void onlyTheServerStartsTheRegistry() {
        // The sink's registry client (sluice-kafka) talks to any registry over HTTP, never to this one's classes.
        noClasses().that().resideInAnyPackage("dev.sluice.sql..", "dev.sluice.storage..", "dev.sluice.kafka..", "dev.sluice.pgwire..")
                .should().dependOnClassesThat().resideInAPackage("dev.sluice.registry..")
                .check(classes);
    }

    @Test
    void formatsAndTheRegistryClientDoNotKnowTheSinkRuntime() {
        // One package per format behind the sink's encoder factory (STYLE.md); formats do not use each other.
        noClasses().that().resideInAPackage("dev.sluice.kafka.format..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.sluice.kafka.sink..", "dev.sluice.kafka.registry..", "dev.sluice.kafka.admin..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.sluice.kafka.format.avro..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.sluice.kafka.format.json..", "dev.sluice.kafka.format.text..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.sluice.kafka.registry..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.sluice.kafka.sink..", "dev.sluice.kafka.format..")
                .check(classes);
    }

    @Test
    void layersDependOnlyOnCommon() {
        noClasses().that().resideInAPackage("dev.sluice.sql..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.sluice.storage..", "dev.sluice.kafka..", "dev.sluice.pgwire..", "dev.sluice.server..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.sluice.storage..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.sluice.sql..", "dev.sluice.kafka..", "dev.sluice.pgwire..", "dev.sluice.server..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.sluice.kafka..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.sluice.sql..", "dev.sluice.storage..", "dev.sluice.pgwire..", "dev.sluice.server..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.sluice.pgwire..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.sluice.sql..", "dev.sluice.storage..", "dev.sluice.kafka..", "dev.sluice.server..")
                .check(classes);
    }
}
