package dev.omem.retrieve;

/**
 * One space a search reads: its partition (the {@code tenant_id} its memories carry) and the factor
 * its scores are multiplied by (personal 1.0, team 0.8, organization 0.6: {@code SpaceType}).
 */
public record SearchSpace(String partition, double weight) {}
