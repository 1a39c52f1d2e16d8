package io.kmemsim.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.api.trace.TraceListener;
import io.kmemsim.testkit.support.RecordingPageAllocator;
import io.kmemsim.testkit.support.TestPlatforms;
import org.junit.jupiter.api.Test;

class FixedContextTest {

    @Test
    void partsNotGiven_areRefusedByName_policiesDefaultToNone() {
        FixedContext c = FixedContext.builder(KernelVersion.parse("6.1")).build();

        assertThat(c.kernel()).isEqualTo(KernelVersion.parse("6.1"));
        assertThat(c.seed()).isEqualTo(1);
        assertThat(c.fallbackPolicy()).isEmpty();
        assertThat(c.compactionPolicy()).isSameAs(CompactionPolicy.NONE);
        assertThat(c.traceListener()).isSameAs(TraceListener.NONE);
        assertThatThrownBy(c::platform).hasMessage("not available to this component: the platform");
        assertThatThrownBy(c::cpus).hasMessage("not available to this component: the platform");
        assertThatThrownBy(c::archHooks).hasMessage("not available to this component: the arch hooks");
        assertThatThrownBy(c::pageAllocator).hasMessage("not available to this component: the page allocator");
    }

    @Test
    void platformGivesConfigAndCpus_andTheAllocatorIsReadWhenAsked() {
        PageAllocator[] later = new PageAllocator[1];
        FixedContext c = FixedContext.builder(KernelVersion.parse("6.12")).seed(7).platform(TestPlatforms.threeZones())
                .archHooks(ArchHooks.NONE).pageAllocator(() -> later[0]).build();

        assertThat(c.cpus()).isEqualTo(4);
        assertThat(c.kernelConfig()).isEqualTo(TestPlatforms.THREE_ZONE_CONFIG);
        assertThat(c.seed()).isEqualTo(7);
        assertThatThrownBy(c::pageAllocator).isInstanceOf(IllegalStateException.class);
        later[0] = new RecordingPageAllocator(16, 0);
        assertThat(c.pageAllocator()).isSameAs(later[0]);
    }
}
