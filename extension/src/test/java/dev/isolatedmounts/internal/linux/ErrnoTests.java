package dev.isolatedmounts.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ErrnoTests {

  @ParameterizedTest(name = "reports {1} when errno is {0}")
  @CsvSource({
    "1, EPERM", "2, ENOENT", "11, EAGAIN", "13, EACCES", "16, EBUSY", "20, ENOTDIR",
    "22, EINVAL", "35, EDEADLK", "40, ELOOP", "42, ENOMSG", "59, EBFONT", "95, EOPNOTSUPP",
    "110, ETIMEDOUT", "133, EHWPOISON"
  })
  void known(int errno, String name) {
    assertThat(Errno.name(errno)).isEqualTo(name);
  }

  @ParameterizedTest(name = "reports \"errno {0}\" when errno {0} has no name")
  @ValueSource(ints = {0, 41, 58, 134, 4096, -1})
  void unknown(int errno) {
    assertThat(Errno.name(errno)).isEqualTo("errno " + errno);
  }
}
