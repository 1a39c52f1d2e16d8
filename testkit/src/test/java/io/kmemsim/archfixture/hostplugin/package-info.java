/** Architecture-rule fixture: a plugin reaching past the api. */
package io.kmemsim.archfixture.hostplugin;
