package dev.omem.store;

import static org.junit.jupiter.api.Assertions.*;

import dev.omem.domain.ErrorCode;
import dev.omem.domain.OmemException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {
  @TempDir Path dir;

  @Test
  void secondHolderGetsAClearMessageAndTheLockIsFreedOnClose() {
    try (DataDirLock first = DataDirLock.acquire(dir)) {
      OmemException e = assertThrows(OmemException.class, () -> DataDirLock.acquire(dir));
      assertEquals(ErrorCode.CONFLICT, e.code());
      assertTrue(e.getMessage().contains("in use by another omem process"), e.getMessage());
      assertTrue(e.getMessage().contains(String.valueOf(ProcessHandle.current().pid())));
    }
    DataDirLock.acquire(dir).close(); // free again
  }
}
