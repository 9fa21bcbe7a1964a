package ai.intellia.keycloak.apikey.store;

import jakarta.persistence.OptimisticLockException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.ModelException;
import org.keycloak.models.ModelIllegalStateException;

import static org.assertj.core.api.Assertions.assertThat;

class GuardedWriteTest {

    @Test
    @DisplayName("a lost race at commit (optimistic lock, Keycloak's conversions of it, a duplicate) is a conflict, wherever it is wrapped")
    void conflicts() {
        assertThat(GuardedWrite.isConflict(new ModelIllegalStateException("Database operation failed", new OptimisticLockException()))).isTrue();
        assertThat(GuardedWrite.isConflict(new RuntimeException(new RuntimeException(new OptimisticLockException())))).isTrue();
        assertThat(GuardedWrite.isConflict(new ModelDuplicateException("dup"))).isTrue();
    }

    @Test
    @DisplayName("anything else is not a conflict and stays an error")
    void otherFailures() {
        assertThat(GuardedWrite.isConflict(new ModelException("Database operation failed", new IllegalStateException()))).isFalse();
        assertThat(GuardedWrite.isConflict(new NullPointerException())).isFalse();
    }
}
