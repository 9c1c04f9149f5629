package dev.omem.service;

/** The outcome of a forget: {@code status} is {@code deleted}. */
public record ForgetResult(String id, String status) {}
