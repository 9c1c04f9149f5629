package dev.omem.ingest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PersonalHabitTest {
  @Test
  void aHabitTheUserStatesAboutThemselvesIsGlobal() {
    assertTrue(LearnedExtractor.personalHabit("I prefer pnpm over npm for JavaScript packages."));
    assertTrue(LearnedExtractor.personalHabit("i always squash my commits"));
    assertTrue(LearnedExtractor.personalHabit("Honestly, I never use semicolons"));
  }

  @Test
  void projectFactsAndRequestsAreNot() {
    assertFalse(LearnedExtractor.personalHabit("We use pnpm in this repo"));
    assertFalse(LearnedExtractor.personalHabit("Use pnpm, not npm"));
    assertFalse(LearnedExtractor.personalHabit("I want the button to be blue"));
    assertFalse(LearnedExtractor.personalHabit("the API uses JWT in the header"));
  }
}
