package io.dash4j.bench.jmh;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The profiles' argument lists: a later "-p name=..." replaces the profile's (JMH would merge both). */
class JmhCommandTest {

    private static List<String> capacities(String... args) {
        List<String> a = Arrays.asList(JmhCommand.arguments(args));
        List<String> values = new java.util.ArrayList<>();
        for (int i = 0; i + 1 < a.size(); i++) {
            if (a.get(i).equals("-p") && a.get(i + 1).startsWith("capacity=")) {
                values.add(a.get(i + 1));
            }
        }
        return values;
    }

    @Test
    void fullMeasuresBothCapacitiesByDefault() {
        assertEquals(List.of("capacity=65536,4194304"), capacities("full"));
    }

    @Test
    void aLaterCapacityReplacesTheProfiles() {
        assertEquals(List.of("capacity=65536"), capacities("full", "-p", "capacity=65536"));
        assertEquals(List.of("capacity=4194304"), capacities("quick", "-p", "capacity=4194304"));
    }

    @Test
    void otherParametersAndOptionsAreKept() {
        List<String> a = Arrays.asList(JmhCommand.arguments(new String[] {"full", "-p", "cache=cdash"}));
        assertTrue(Collections.indexOfSubList(a, List.of("-p", "cache=cdash")) >= 0, a.toString());
        assertTrue(Collections.indexOfSubList(a, List.of("-p", "capacity=65536,4194304")) >= 0, a.toString());
        assertTrue(a.contains("-prof"), a.toString());
        assertEquals(JmhCommand.BENCHMARKS, a.get(a.size() - 1));
    }
}
