// The social network: who each agent sees online, in Boost.Graph compressed sparse row form.
#pragma once

#include <boost/graph/compressed_sparse_row_graph.hpp>

#include <cstdint>
#include <span>

#include "divsim/core/random.h"
#include "divsim/params/parameter_table.h"
#include "divsim/world/agents.h"

namespace divsim {

/**
 * Undirected contacts, stored both ways. Contacts are homophilous: mostly people of the same place
 * (region and area) close in age and income, with a share drawn at random in the place and in the
 * region's other area. Agents born during a run have no contacts.
 */
class SocialNetwork {
 public:
  using Graph =
      boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                         boost::no_property, std::uint32_t, std::uint32_t>;

  SocialNetwork() = default;
  /** Builds the network over agents [0, agents.size()); pure function of the key and agents. */
  SocialNetwork(const Agents& agents, std::size_t regions, const ParameterSet& params,
                const RandomKey& key);

  std::size_t agents() const noexcept { return agents_; }
  std::size_t edges() const noexcept { return boost::num_edges(graph_); }

  /** The contacts of agent `i` (empty for agents born after the network was built). */
  std::span<const std::uint32_t> contacts(std::size_t i) const {
    if (i >= agents_) return {};
    const auto& rows = graph_.m_forward.m_rowstart;
    const auto& cols = graph_.m_forward.m_column;
    return {cols.data() + rows[i], cols.data() + rows[i + 1]};
  }

  /** The rows as raw pointers, for hot loops (see Agents::View). */
  struct Rows {
    const std::uint32_t* start;
    const std::uint32_t* column;
    std::size_t agents;
    std::span<const std::uint32_t> contacts(std::size_t i) const {
      if (i >= agents) return {};
      return {column + start[i], column + start[i + 1]};
    }
    std::uint32_t degree(std::size_t i) const { return i < agents ? start[i + 1] - start[i] : 0; }
  };
  Rows rows() const noexcept {
    return {graph_.m_forward.m_rowstart.data(), graph_.m_forward.m_column.data(), agents_};
  }

  std::size_t bytes() const noexcept {
    return graph_.m_forward.m_rowstart.size() * sizeof(std::uint32_t) +
           graph_.m_forward.m_column.size() * sizeof(std::uint32_t);
  }

 private:
  std::size_t agents_ = 0;
  Graph graph_;
};

}  // namespace divsim
