package io.kmemsim.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.plugin.NoOptions;
import io.kmemsim.api.plugin.PlatformProvider;
import io.kmemsim.api.plugin.Provider;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.plugin.Required;
import io.kmemsim.testkit.support.OptionRules;
import io.kmemsim.testkit.support.TestPlatforms;
import io.kmemsim.testkit.support.TestProviderContext;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.List;
import org.apiguardian.api.API;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The {@link Provider} contract every plugin's provider shares, checked without the host: what the host
 * would otherwise refuse at run time (and then fail every command with) is caught in the author's build.
 *
 * <pre>{@code
 * class LazyProviderContractTest extends ProviderContract {
 *     @Override
 *     protected Provider<?, ?> provider() {
 *         return new LazyCompactionProvider();
 *     }
 * }
 * }</pre>
 *
 * <p>What the kit checks: the id matches {@value #ID_PATTERN}; the description is one non-blank line;
 * the options type is a record the host can bind (every component of a bindable type, constraints on
 * fitting types), with a public no-argument constructor giving defaults that satisfy the declared
 * constraints (unless a component is {@link Required}: then override {@link #options()}); and
 * {@code create(options, context)} returns a component on a test context for every kernel of
 * {@link #kernels()}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public abstract class ProviderContract {

    /** The rule every provider id follows (the host refuses any other id). */
    public static final String ID_PATTERN = "[a-z0-9][a-z0-9.-]*";

    /** The provider under test. */
    protected abstract Provider<?, ?> provider();

    /**
     * The options {@link #createsWithDefaults} passes: by default those of the options record's public
     * no-argument constructor (or {@link NoOptions}). Override when a component is {@link Required}.
     */
    protected Record options() {
        return defaults(provider().optionsType());
    }

    /** The kernels the provider is created for. */
    protected List<String> kernels() {
        return List.of("5.10", "6.1", "6.12", "6.18");
    }

    /**
     * The context a provider is created in for {@code kernel}: the one-zone test platform with every
     * component at its default (no platform for a {@link PlatformProvider}, as the host does).
     */
    protected ProviderContext context(String kernel) {
        TestProviderContext.Builder b = TestProviderContext.builder().kernel(kernel);
        if (!(provider() instanceof PlatformProvider)) {
            b.platform(TestPlatforms.oneZone());
        }
        return b.build();
    }

    private static Record defaults(Class<? extends Record> type) {
        if (type == NoOptions.class) {
            return new NoOptions();
        }
        try {
            Constructor<? extends Record> noArg = type.getConstructor();
            return noArg.newInstance();
        } catch (NoSuchMethodException e) {
            throw new AssertionError(type.getName() + " has no public no-argument constructor giving the defaults;"
                    + " add one, or override options() when a component is @Required", e);
        } catch (InvocationTargetException e) {
            throw new AssertionError("the defaults of " + type.getName() + " are invalid: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot create the defaults of " + type.getName() + ": " + e, e);
        }
    }

    @Nested
    @DisplayName("a provider")
    class Identity {

        @Test
        @DisplayName("has an id matching [a-z0-9][a-z0-9.-]*")
        void id_matchesPattern() {
            String id = provider().id();
            assertThat(id).as("id of %s", provider().getClass().getName()).isNotNull().matches(ID_PATTERN);
        }

        @Test
        @DisplayName("has a one-line, non-blank description")
        void description_isOneNonBlankLine() {
            String d = provider().description();
            assertThat(d).as("description of %s", provider().id()).isNotNull().isNotBlank().doesNotContain("\n", "\r");
        }

        @Test
        @DisplayName("answers id, description and options type the same way every time")
        void identity_isStable() {
            assertThat(provider().id()).isEqualTo(provider().id());
            assertThat(provider().description()).isEqualTo(provider().description());
            assertThat((Object) provider().optionsType()).isEqualTo(provider().optionsType());
        }
    }

    @Nested
    @DisplayName("its options")
    class Options {

        @Test
        @DisplayName("are a public record the host can bind, with constraints on fitting components")
        void optionsType_isBindable() {
            Class<? extends Record> type = provider().optionsType();
            assertThat((Object) type).as("optionsType() of %s", provider().id()).isNotNull();
            assertThat(Modifier.isPublic(type.getModifiers())).as("%s is public", type.getName()).isTrue();
            assertThat(OptionRules.checkType(type)).as("problems of %s", type.getName()).isEmpty();
        }

        @Test
        @DisplayName("have defaults (the no-argument constructor, or options()) that satisfy the declared constraints")
        void defaults_satisfyConstraints() {
            Class<? extends Record> type = provider().optionsType();
            Record options = options();
            assertThat(options).as("options of %s", provider().id()).isNotNull();
            assertThat((Object) options.getClass()).isEqualTo(type);
            for (RecordComponent c : type.getRecordComponents()) {
                assertThat(c.getName()).as("component name").matches("[a-z][A-Za-z0-9]*");
            }
            assertThat(OptionRules.checkValues(options)).as("default options of %s break their constraints", provider().id()).isEmpty();
        }
    }

    @Nested
    @DisplayName("create")
    class Create {

        @Test
        @DisplayName("returns a component for the default options on a test context, for every kernel")
        @SuppressWarnings({"unchecked", "rawtypes"})
        void create_withDefaults() {
            for (String kernel : kernels()) {
                Provider p = provider();
                Object created = p.create(options(), context(kernel));
                assertThat(created).as("create(options, context) of %s for kernel %s", p.id(), kernel).isNotNull();
            }
        }
    }
}
